package com.su7.messaging.inbox;

import org.springframework.transaction.support.TransactionOperations;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The inbox's way through a batch with a bad event in it: everything in one transaction, and if that fails because
 * of an event ({@link PermanentEventException}), one event per transaction, in order, so only the events at fault
 * are left out. A failure that is not an event's is thrown: the caller tries the whole batch again later. Used by
 * {@link InboxConsumer} and by anything else that applies events a batch at a time (a projection rebuild).
 */
public final class BatchFallback {

    private BatchFallback() {
    }

    /** What to do with an event found at fault when applied on its own. */
    @FunctionalInterface
    public interface AtFault<T> {

        /** @return whether to go on with the events after it */
        boolean goOn(T event, RuntimeException failure);
    }

    /**
     * @param batchFirst false to go one by one at once (the caller knows the batch has an event at fault)
     * @param apply      applies events inside the transaction it is given; returns how many it applied
     * @return how many events were applied
     */
    public static <T> int apply(TransactionOperations transactions, List<T> events, boolean batchFirst,
                                ToIntFunction<List<T>> apply, AtFault<T> atFault) {
        if (batchFirst) {
            try {
                return transactions.execute(status -> apply.applyAsInt(events));
            } catch (RuntimeException failure) {
                if (!Failures.isEventsFault(failure)) {
                    throw failure;
                }
            }
        }
        int applied = 0;
        for (T event : events) {
            try {
                applied += transactions.execute(status -> apply.applyAsInt(List.of(event)));
            } catch (RuntimeException failure) {
                if (!Failures.isEventsFault(failure)) {
                    throw failure;
                }
                if (!atFault.goOn(event, failure)) {
                    break;
                }
            }
        }
        return applied;
    }
}
