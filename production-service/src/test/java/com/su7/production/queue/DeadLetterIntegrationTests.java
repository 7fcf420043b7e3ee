package com.su7.production.queue;

import com.su7.contract.Topics;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static com.su7.production.support.Plant.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Events production can never apply go to their dead-letter topic with the reason; the events after them are applied. */
class DeadLetterIntegrationTests extends IntegrationTestBase {

    @Test
    void aPreorderWithoutAUuidIsDeadLetteredAndThePreorderAfterItIsQueued() {
        String key = "not-a-uuid-" + UUID.randomUUID();
        PreorderPlaced bad = TestEvents.preorderPlaced(UUID.randomUUID(), Variant.SU7, "Suzhou", plant.now());
        bad.setPreorderId(key);
        UUID good = UUID.randomUUID();
        plant.send(Topics.PREORDER_PLACED, key, bad);
        plant.publish(TestEvents.preorderPlaced(good, Variant.SU7, "Suzhou", plant.now()));

        plant.awaitQueued(List.of(good));
        assertThat(reasonOnDeadLetterTopic(Topics.PREORDER_PLACED_DLT, key)).contains("is not a UUID");
    }

    @Test
    void aDeliveryScheduledForAPreorderProductionNeverSawIsDeadLettered() {
        UUID unknown = UUID.randomUUID();
        plant.send(Topics.DELIVERY_SCHEDULED, unknown.toString(),
                TestEvents.deliveryScheduled(unknown, "LSUS7BEV0TB000001", LocalDate.of(2026, 5, 1), 1));
        assertThat(reasonOnDeadLetterTopic(Topics.DELIVERY_SCHEDULED_DLT, unknown.toString())).contains("unknown to production");
    }

    @Test
    void aCancellationWithoutAUuidIsDeadLettered() {
        String key = "not-a-uuid-" + UUID.randomUUID();
        PreorderCancelled bad = TestEvents.preorderCancelled(UUID.randomUUID(), Variant.SU7, plant.now());
        bad.setPreorderId(key);
        plant.send(Topics.PREORDER_CANCELLED, key, bad);
        assertThat(reasonOnDeadLetterTopic(Topics.PREORDER_CANCELLED_DLT, key)).contains("is not a UUID");
    }

    private String reasonOnDeadLetterTopic(String topic, String key) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> !probe.recordsWithKey(topic, key).isEmpty());
        ConsumerRecord<String, byte[]> deadLetter = probe.recordsWithKey(topic, key).getFirst();
        Header reason = deadLetter.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE);
        assertThat(reason).as("reason header").isNotNull();
        return new String(reason.value(), StandardCharsets.UTF_8);
    }
}
