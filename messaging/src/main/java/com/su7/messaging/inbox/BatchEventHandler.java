package com.su7.messaging.inbox;

import java.util.List;

/**
 * Applies the new events of one polled batch with one call, inside the transaction that also records them as
 * processed, so a handler can work set-based (one statement for many events instead of several per event).
 * Events come in the order of their records. Throw {@link PermanentEventException} if an event can never be
 * applied: the inbox then applies the batch again one event per call and transaction, so only that event is set
 * aside. Any other exception is not the event's fault: the batch is redelivered until it goes through.
 */
@FunctionalInterface
public interface BatchEventHandler<E> {

    void apply(List<Received<E>> events);
}
