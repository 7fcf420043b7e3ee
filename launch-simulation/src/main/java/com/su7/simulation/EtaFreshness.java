package com.su7.simulation;

import com.su7.events.EtaChangeCause;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How fresh the ETA customers are shown is: from the fact that changed it on its topic to the {@link EtaNotice} on
 * {@code orders.eta-changed}, both by their records' timestamps. A change of cause {@code BUILT} is matched to that
 * preorder's {@code UnitBuilt}; {@code SCHEDULED} and {@code RESCHEDULED} to that preorder's {@code DeliveryScheduled}
 * of the date it shows; of several, the last one on its topic before the change. Changes of other causes (estimates,
 * cancellations) have no such fact and are not measured. Safe to record into from the observer's thread.
 */
final class EtaFreshness {

    private static final long HIGHEST_MILLIS = Duration.ofDays(1).toMillis();

    private final Map<String, List<Instant>> built = new HashMap<>();
    private final Map<String, List<Scheduled>> scheduled = new HashMap<>();

    private record Scheduled(LocalDate date, Instant onTopicAt) {
    }

    /**
     * @param millis    from the fact to its change, milliseconds
     * @param relayMillis of that, from orders-service's change (its {@code occurredAt}, the transaction) to the topic:
     *                  the outbox relay's share; the rest is orders-service reading the fact and changing the ETA
     * @param unmatched changes of a measured cause whose fact was not seen before them (it came before the observer
     *                  started)
     */
    record Measured(Histogram millis, Histogram relayMillis, long unmatched) {
    }

    synchronized void unitBuilt(String preorderId, Instant onTopicAt) {
        built.computeIfAbsent(preorderId, id -> new ArrayList<>(1)).add(onTopicAt);
    }

    synchronized void deliveryScheduled(String preorderId, LocalDate date, Instant onTopicAt) {
        scheduled.computeIfAbsent(preorderId, id -> new ArrayList<>(1)).add(new Scheduled(date, onTopicAt));
    }

    synchronized Measured measure(Collection<EtaNotice> changes) {
        Histogram millis = new Histogram(HIGHEST_MILLIS, 3);
        Histogram relayMillis = new Histogram(HIGHEST_MILLIS, 3);
        long unmatched = 0;
        for (EtaNotice change : changes) {
            Optional<Instant> fact;
            if (change.cause() == EtaChangeCause.BUILT) {
                fact = lastBefore(built.getOrDefault(change.preorderId(), List.of()), change.onTopicAt());
            } else if (change.cause() == EtaChangeCause.SCHEDULED || change.cause() == EtaChangeCause.RESCHEDULED) {
                fact = lastBefore(scheduled.getOrDefault(change.preorderId(), List.of()).stream()
                        .filter(schedule -> schedule.date().equals(change.latest())).map(Scheduled::onTopicAt).toList(), change.onTopicAt());
            } else {
                continue;
            }
            if (fact.isEmpty()) {
                unmatched++;
                continue;
            }
            millis.recordValue(Math.min(Duration.between(fact.get(), change.onTopicAt()).toMillis(), HIGHEST_MILLIS));
            relayMillis.recordValue(Math.clamp(Duration.between(change.occurredAt(), change.onTopicAt()).toMillis(), 0, HIGHEST_MILLIS));
        }
        return new Measured(millis, relayMillis, unmatched);
    }

    /**
     * The last fact on its topic by the time of the change: orders-service read the fact before it made the change,
     * and both timestamps are the producers' send times.
     */
    private static Optional<Instant> lastBefore(List<Instant> facts, Instant change) {
        return facts.stream().filter(at -> !at.isAfter(change)).max(Comparator.naturalOrder());
    }
}
