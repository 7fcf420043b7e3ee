package com.su7.simulation;

import com.su7.contract.Topics;
import com.su7.events.DeliveryScheduled;
import com.su7.events.UnitBuilt;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The harness's eye on the facts that change a customer's ETA: {@code production.unit-built} and
 * {@code delivery.delivery-scheduled}, read from their end on every partition with no consumer group, as the
 * read-only {@code kafka-ui} user (Read and Describe on the system's topics, nothing it could change). It records
 * when each fact was on its topic, for {@link EtaFreshness}. Not part of the notification service.
 */
final class EtaCauseObserver implements AutoCloseable {

    private final TopicReader reader;

    private EtaCauseObserver(TopicReader reader) {
        this.reader = reader;
    }

    static EtaCauseObserver start(String bootstrapServers, KafkaLogin login, URI registry, EtaFreshness freshness) {
        ConfluentAvro avro = new ConfluentAvro(registry);
        return new EtaCauseObserver(TopicReader.assigned("eta-cause-observer", login.clientSettings(bootstrapServers),
                List.of(Topics.UNIT_BUILT, Topics.DELIVERY_SCHEDULED), record -> {
                    Instant onTopicAt = Instant.ofEpochMilli(record.timestamp());
                    if (record.topic().equals(Topics.UNIT_BUILT)) {
                        freshness.unitBuilt(avro.decode(record.value(), UnitBuilt.class).getPreorderId(), onTopicAt);
                    } else {
                        DeliveryScheduled scheduled = avro.decode(record.value(), DeliveryScheduled.class);
                        freshness.deliveryScheduled(scheduled.getPreorderId(), scheduled.getDeliveryDate(), onTopicAt);
                    }
                }));
    }

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
