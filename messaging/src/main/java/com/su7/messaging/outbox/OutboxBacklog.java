package com.su7.messaging.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures the outbox on its own schedule, whether or not the relay publishes: the rows waiting
 * ({@code su7.outbox.backlog}), the age of the oldest ({@code su7.outbox.oldest.age}, seconds) and the rows set
 * aside ({@code su7.outbox.set.aside}); a relay that is stuck shows as a growing age, not as a backlog of 0.
 */
public final class OutboxBacklog {

    private final JdbcTemplate jdbc;
    private final AtomicReference<Measure> last = new AtomicReference<>();

    /** One measurement: rows waiting (this release's and the previous one's), the oldest of them, rows set aside. */
    public record Measure(long waiting, Instant oldest, long setAside, Instant measuredAt) {

        public Duration oldestAge() {
            return oldest == null ? Duration.ZERO : Duration.between(oldest, measuredAt);
        }
    }

    public OutboxBacklog(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("su7.outbox.backlog", last, measure -> measure.get() == null ? Double.NaN : measure.get().waiting())
                .description("outbox rows waiting to be published").register(meters);
        Gauge.builder("su7.outbox.oldest.age", last, measure -> measure.get() == null ? Double.NaN : measure.get().oldestAge().toSeconds())
                .baseUnit("seconds").description("age of the oldest outbox row waiting to be published").register(meters);
        Gauge.builder("su7.outbox.set.aside", last, measure -> measure.get() == null ? Double.NaN : measure.get().setAside())
                .description("outbox rows the relay could not send, waiting for ops").register(meters);
    }

    /** Measures now (the schedule calls it; so may a test). */
    public Measure measure() {
        Measure measure = jdbc.queryForObject("""
                select count(*) filter (where set_aside_at is null) + (select count(*) from outbox_event),
                       least(min(created_at) filter (where set_aside_at is null), (select min(created_at) from outbox_event)),
                       count(*) filter (where set_aside_at is not null),
                       now()
                from outbox_message""",
                (row, index) -> new Measure(row.getLong(1), instant(row.getTimestamp(2)), row.getLong(3), instant(row.getTimestamp(4))));
        last.set(measure);
        return measure;
    }

    /** The latest measurement, or null before the first. */
    public Measure last() {
        return last.get();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
