package com.su7.messaging.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures the outbox on its own schedule, whether or not the relay publishes: the rows waiting
 * ({@code su7.outbox.backlog}), the age of the oldest ({@code su7.outbox.oldest.age}, seconds) and the rows set
 * aside ({@code su7.outbox.set.aside}); a relay that is stuck shows as a growing age, not as a backlog of 0.
 */
public final class OutboxBacklog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxBacklog.class);

    private final JdbcTemplate jdbc;
    private final OutboxProperties properties;
    private final AtomicReference<Measure> last = new AtomicReference<>();
    private ScheduledExecutorService scheduler;

    /** One measurement: rows waiting (this release's and the previous one's), the oldest of them, rows set aside. */
    public record Measure(long waiting, Instant oldest, long setAside, Instant measuredAt) {

        public Duration oldestAge() {
            return oldest == null ? Duration.ZERO : Duration.between(oldest, measuredAt);
        }
    }

    public OutboxBacklog(JdbcTemplate jdbc, OutboxProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.properties = properties;
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

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("outbox-backlog").daemon().factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                measure();
            } catch (RuntimeException e) {
                log.warn("could not measure the outbox (trying again on schedule): {}", e.toString());
            }
        }, 0, properties.measureInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
