package com.su7.simulation;

import com.su7.contract.Topics;
import com.su7.events.EtaChanged;
import com.su7.localstack.KafkaPrincipal;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A notification service, as one outside this project would be written: it logs in as its own Kafka user
 * ({@code notifications}: Read on {@code orders.eta-changed} and on consumer groups named {@code notifications…},
 * nothing else), reads {@code orders.eta-changed} in its group, decodes each record through the registry's Confluent
 * API (nothing of our serdes), hands it to {@link Notifications} (deduplicate by eventId, push policy) and commits
 * after it. Records it cannot decode are skipped and counted: it has no dead-letter topic on our cluster.
 */
final class NotificationService implements AutoCloseable {

    static final String GROUP = KafkaPrincipal.NOTIFICATIONS.groupPrefix() + ".launch-simulation";

    private final TopicReader reader;

    private NotificationService(TopicReader reader) {
        this.reader = reader;
    }

    /** Joins its group and starts reading from the topic's end; returns once it reads (the launch may begin). */
    static NotificationService start(String bootstrapServers, KafkaLogin login, URI registry, Notifications notifications, Clock clock) {
        ConfluentAvro avro = new ConfluentAvro(registry);
        Map<String, Object> settings = login.clientSettings(bootstrapServers);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return new NotificationService(TopicReader.inGroup("notifications", settings, GROUP, Topics.ETA_CHANGED,
                record -> notifications.on(avro.decode(record.value(), EtaChanged.class), Instant.ofEpochMilli(record.timestamp()), clock.instant()),
                () -> notifications.tick(clock.instant())));
    }

    /** Waits until it has read every change on the topic and no more came for {@code quiet}. */
    boolean awaitQuiet(Duration quiet, Instant deadline) {
        return reader.awaitQuiet(quiet, deadline);
    }

    long undecodable() {
        return reader.skipped();
    }

    @Override
    public void close() {
        reader.close();
    }
}
