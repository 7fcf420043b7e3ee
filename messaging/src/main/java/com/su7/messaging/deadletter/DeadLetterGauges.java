package com.su7.messaging.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The dead-letter gauges ops watch, counted on messaging's schedule ({@code su7.messaging.dead-letters.metrics-interval}):
 * {@code su7.messaging.dead-letters} (unresolved, by consumer, topic, state and reason) and
 * {@code su7.messaging.dead-letters.oldest.age} (seconds since the oldest unresolved one, by consumer).
 */
public final class DeadLetterGauges {

    private final DeadLetterStore store;
    private final MultiGauge unresolved;
    private final MultiGauge oldestAge;
    private final AtomicReference<Map<Tags, Long>> unresolvedCounts = new AtomicReference<>(Map.of());
    private final AtomicReference<Map<Tags, Long>> oldestAges = new AtomicReference<>(Map.of());
    private final AtomicReference<Instant> countedAt = new AtomicReference<>();

    public DeadLetterGauges(DeadLetterStore store, MeterRegistry meters) {
        this.store = store;
        this.unresolved = MultiGauge.builder("su7.messaging.dead-letters")
                .description("unresolved dead letters kept by this service").register(meters);
        this.oldestAge = MultiGauge.builder("su7.messaging.dead-letters.oldest.age").baseUnit("seconds")
                .description("age of the oldest unresolved dead letter").register(meters);
        Gauge.builder("su7.messaging.dead-letters.counted.age", countedAt,
                        at -> at.get() == null ? Double.NaN : Duration.between(at.get(), Instant.now()).toSeconds())
                .baseUnit("seconds").description("how old the dead-letter gauges are").register(meters);
    }

    /**
     * Counts the unresolved dead letters into the gauges. A gauge already registered keeps reading the latest counts
     * (only new ones are registered, vanished ones removed): overwriting every row removed and re-added each gauge, and
     * a scrape in between could meet a row's old and new gauge together, which the Prometheus registry refuses with a
     * 500 (seen with delivery's centre gauges).
     */
    public void count() {
        List<DeadLetterStore.Tally> tally = store.tally();
        Instant now = Instant.now();
        Map<Tags, Long> letters = tally.stream().collect(Collectors.toMap(row -> Tags.of("consumer", row.consumer(),
                "topic", row.topic(), "state", row.state().name(),
                "reason", row.exceptionClass().substring(row.exceptionClass().lastIndexOf('.') + 1)), DeadLetterStore.Tally::letters, Long::sum));
        Map<Tags, Long> ages = tally.stream().collect(Collectors.toMap(DeadLetterStore.Tally::consumer,
                        DeadLetterStore.Tally::oldest, (a, b) -> a.isBefore(b) ? a : b))
                .entrySet().stream().collect(Collectors.toMap(entry -> Tags.of("consumer", entry.getKey()),
                        entry -> Duration.between(entry.getValue(), now).toSeconds()));
        unresolvedCounts.set(letters);
        oldestAges.set(ages);
        unresolved.register(rowsReading(unresolvedCounts), false);
        oldestAge.register(rowsReading(oldestAges), false);
        countedAt.set(now);
    }

    /** A row per tag set of the latest values, each reading its value from them when scraped. */
    private static List<MultiGauge.Row<?>> rowsReading(AtomicReference<Map<Tags, Long>> latest) {
        return latest.get().keySet().stream()
                .<MultiGauge.Row<?>>map(tags -> MultiGauge.Row.of(tags, latest, values -> values.get().getOrDefault(tags, 0L)))
                .toList();
    }
}
