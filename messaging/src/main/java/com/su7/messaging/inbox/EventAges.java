package com.su7.messaging.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How old a consumer's events are when they take effect: {@code su7.messaging.event.age}, a histogram per consumer
 * and topic from the event's {@code occurredAt} to the commit that applied it — the time a customer waits for a
 * change to show (an ETA, a schedule), whether it waited in an outbox, in a topic or in a retry. An event without an
 * {@code occurredAt} (the app's JSON requests) counts from its record's timestamp. Duplicates are not applied and
 * not counted; a redriven dead letter counts with its whole age.
 */
final class EventAges {

    /** From a healthy pipeline's sub-second to a backlog of an hour; older ages land in +Inf (and the sum). */
    private static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1)};

    private final String consumer;
    private final MeterRegistry meters;
    private final Map<String, Timer> byTopic = new ConcurrentHashMap<>();

    EventAges(String consumer, MeterRegistry meters) {
        this.consumer = consumer;
        this.meters = meters;
    }

    /** When an event happened: its {@code occurredAt}, or its record's timestamp for an event that has none. */
    static Instant occurredAt(Object event, ConsumerRecord<?, ?> record) {
        if (event instanceof SpecificRecord avro) {
            Schema.Field field = avro.getSchema().getField("occurredAt");
            if (field != null && avro.get(field.pos()) instanceof Instant occurredAt) {
                return occurredAt;
            }
        }
        return record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null;
    }

    /** Counts the events applied in the current transaction once it commits (a rolled-back batch is applied again). */
    void recordAfterCommit(String topic, List<Instant> occurred) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            record(topic, occurred);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                record(topic, occurred);
            }
        });
    }

    private void record(String topic, List<Instant> occurred) {
        Timer ages = byTopic.computeIfAbsent(topic, t -> Timer.builder("su7.messaging.event.age")
                .description("age of an event when its consumer applied it: from its occurredAt to the commit")
                .tags("consumer", consumer, "topic", t)
                .serviceLevelObjectives(BUCKETS)
                .register(meters));
        Instant applied = Instant.now();
        for (Instant at : occurred) {
            if (at != null) {
                Duration age = Duration.between(at, applied);
                // A clock a little ahead at the producer is not a negative age.
                ages.record(age.isNegative() ? Duration.ZERO : age);
            }
        }
    }
}
