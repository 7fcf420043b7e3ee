package com.su7.messaging;

import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import com.su7.messaging.kafka.ConsumerGroupRenames;
import com.su7.testsupport.SharedLocalStack;
import com.su7.testsupport.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A listener moved to its own consumer group starts where its former group left its topics, not from the start. */
@WithLocalStack
class ConsumerGroupRenamesIntegrationTests {

    LocalStack stack = SharedLocalStack.get();

    @Test
    void aNewGroupStartsFromItsFormerGroupsOffsetsOfItsTopicsOnlyAndAGroupWithOffsetsKeepsThem() throws Exception {
        Map<String, Object> settings = stack.kafkaClientSettings(KafkaPrincipal.ADMIN);
        String former = "former-" + UUID.randomUUID();
        String renamed = "renamed-" + UUID.randomUUID();
        TopicPartition placed = new TopicPartition("renames-placed-" + UUID.randomUUID(), 0);
        TopicPartition scheduled = new TopicPartition("renames-scheduled-" + UUID.randomUUID(), 0);
        try (Admin admin = Admin.create(settings)) {
            admin.createTopics(List.of(new NewTopic(placed.topic(), 1, (short) 1), new NewTopic(scheduled.topic(), 1, (short) 1))).all().get();
            admin.alterConsumerGroupOffsets(former, Map.of(placed, new OffsetAndMetadata(0), scheduled, new OffsetAndMetadata(0)))
                    .all().get();
            ConsumerGroupRenames renames = new ConsumerGroupRenames(Map.of(), new KafkaAdmin(settings), null);

            renames.carryOver(renamed, former, List.of(placed.topic()));
            assertThat(admin.listConsumerGroupOffsets(renamed).partitionsToOffsetAndMetadata().get())
                    .containsOnlyKeys(placed);

            admin.alterConsumerGroupOffsets(former, Map.of(scheduled, new OffsetAndMetadata(0))).all().get();
            renames.carryOver(renamed, former, List.of(scheduled.topic()));
            assertThat(admin.listConsumerGroupOffsets(renamed).partitionsToOffsetAndMetadata().get())
                    .as("a group with offsets of its own keeps them").containsOnlyKeys(placed);
        }
    }
}
