package com.su7.localstack;

import com.su7.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kafka lets each service write only its own topic and read only what it consumes; Kafka UI only reads. */
class KafkaAclIntegrationTests {

    private static LocalStack stack;

    @BeforeAll
    static void startWithTheTopics() throws Exception {
        stack = LocalStack.start(LocalStackSettings.onFreePorts());
        try (Admin admin = Admin.create(stack.kafkaClientSettings(KafkaPrincipal.ADMIN))) {
            admin.createTopics(Topics.ALL.stream()
                    .flatMap(spec -> List.of(spec.name(), Topics.deadLetterOf(spec.name())).stream())
                    .map(name -> new NewTopic(name, 1, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void eachServiceWritesItsOwnTopicAndTheDeadLettersOfWhatItConsumes() throws Exception {
        assertThat(send("orders", Topics.PREORDER_PLACED).topic()).isEqualTo(Topics.PREORDER_PLACED);
        assertThat(send("orders", Topics.ETA_CHANGED).topic()).isEqualTo(Topics.ETA_CHANGED);
        assertThat(send("orders", Topics.PREORDER_CANCELLED).topic()).isEqualTo(Topics.PREORDER_CANCELLED);
        assertThat(send("production", Topics.PREORDER_CANCELLED_DLT).topic()).isEqualTo(Topics.PREORDER_CANCELLED_DLT);
        assertThat(send("production", Topics.UNIT_BUILT).topic()).isEqualTo(Topics.UNIT_BUILT);
        assertThat(send("delivery", Topics.DELIVERY_SCHEDULED).topic()).isEqualTo(Topics.DELIVERY_SCHEDULED);
        assertThat(send("app", Topics.PREORDER_REQUESTS).topic()).isEqualTo(Topics.PREORDER_REQUESTS);
        assertThat(send("orders", Topics.UNIT_BUILT_DLT).topic()).isEqualTo(Topics.UNIT_BUILT_DLT);
        assertThat(send("delivery", Topics.PREORDER_PLACED_DLT).topic()).isEqualTo(Topics.PREORDER_PLACED_DLT);
    }

    @Test
    void refusesAServiceWritingAnotherServicesTopic() {
        assertRefusedToWrite("orders", Topics.UNIT_BUILT);
        assertRefusedToWrite("orders", Topics.DELIVERY_SCHEDULED);
        assertRefusedToWrite("production", Topics.PREORDER_PLACED);
        assertRefusedToWrite("production", Topics.DELIVERY_SCHEDULED);
        assertRefusedToWrite("production", Topics.ETA_CHANGED);
        assertRefusedToWrite("delivery", Topics.ETA_CHANGED);
        assertRefusedToWrite("delivery", Topics.UNIT_BUILT);
        assertRefusedToWrite("delivery", Topics.PREORDER_PLACED);
        assertRefusedToWrite("app", Topics.PREORDER_PLACED);
        assertRefusedToWrite("production", Topics.PREORDER_CANCELLED);
        assertRefusedToWrite("delivery", Topics.PREORDER_CANCELLED);
        // a notification service only reads, and keeps no dead letters of ours
        assertRefusedToWrite("notifications", Topics.ETA_CHANGED);
        assertRefusedToWrite("notifications", Topics.ETA_CHANGED_DLT);
        // the app's requests come only from the app's backend
        assertRefusedToWrite("orders", Topics.PREORDER_REQUESTS);
    }

    @Test
    void letsAServiceReadBackWhatItPublishes() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("orders", "orders.acl-replay")) {
            consumer.subscribe(List.of(Topics.PREORDER_PLACED));
            consumer.poll(Duration.ofSeconds(5));
        }
    }

    @Test
    void letsAServiceReadWhatItConsumesInItsOwnGroups() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("delivery", "delivery.acl-test")) {
            consumer.subscribe(List.of(Topics.PREORDER_PLACED, Topics.UNIT_BUILT));
            consumer.poll(Duration.ofSeconds(5));
            consumer.commitSync();
        }
    }

    @Test
    void refusesAServiceReadingATopicItDoesNotConsume() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("production", "production.acl-test")) {
            consumer.subscribe(List.of(Topics.PREORDER_REQUESTS));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
        }
        // The customers' ETA changes are for notification services, as their own user.
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("delivery", "delivery.acl-test")) {
            consumer.subscribe(List.of(Topics.ETA_CHANGED));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("delivery", "delivery.acl-test")) {
            consumer.subscribe(List.of(Topics.DELIVERY_SCHEDULED_DLT));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("app", "app.acl-test")) {
            consumer.subscribe(List.of(Topics.PREORDER_REQUESTS));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOfAny(
                    TopicAuthorizationException.class, GroupAuthorizationException.class);
        }
    }

    @Test
    void letsANotificationServiceReadTheEtaChangesInItsOwnGroupsAndNothingElse() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("notifications", "notifications.acl-test")) {
            consumer.subscribe(List.of(Topics.ETA_CHANGED));
            consumer.poll(Duration.ofSeconds(5));
            consumer.commitSync();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("notifications", "notifications.acl-test")) {
            consumer.subscribe(List.of(Topics.PREORDER_PLACED));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("notifications", "orders-service")) {
            consumer.subscribe(List.of(Topics.ETA_CHANGED));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void refusesAServiceJoiningAnotherServicesConsumerGroup() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("orders", "production-service")) {
            consumer.subscribe(List.of(Topics.UNIT_BUILT));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void letsKafkaUiReadTopicsAndSeeGroupsButChangeNothing() throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = groupLessConsumer("kafka-ui")) {
            // As Kafka UI browses messages: assigned partitions, no group.
            consumer.assign(List.of(new TopicPartition(Topics.UNIT_BUILT_DLT, 0)));
            consumer.seekToBeginning(consumer.assignment());
            consumer.poll(Duration.ofSeconds(2));
        }
        try (Admin kafkaUi = Admin.create(stack.kafkaClientSettings("kafka-ui"))) {
            assertThat(kafkaUi.describeCluster().nodes().get(30, TimeUnit.SECONDS)).isNotEmpty();
            assertThat(kafkaUi.describeTopics(List.of(Topics.PREORDER_PLACED)).allTopicNames().get(30, TimeUnit.SECONDS)).hasSize(1);
            kafkaUi.listConsumerGroupOffsets("delivery.acl-test").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            // Moving a service's offsets, deleting a topic: ops do that through the services' ops APIs, not Kafka UI.
            assertThatThrownBy(() -> kafkaUi.alterConsumerGroupOffsets("delivery.acl-test",
                    Map.of(new TopicPartition(Topics.UNIT_BUILT, 0), new OffsetAndMetadata(0))).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(GroupAuthorizationException.class);
            assertThatThrownBy(() -> kafkaUi.deleteTopics(List.of(Topics.UNIT_BUILT_DLT)).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // It may write nowhere, so its (idempotent) producer is refused before it gets to a topic.
        for (String topic : List.of(Topics.PREORDER_PLACED, Topics.PREORDER_PLACED_DLT)) {
            assertThatThrownBy(() -> send("kafka-ui", topic)).as("kafka-ui writing %s", topic)
                    .cause().isInstanceOfAny(TopicAuthorizationException.class, ClusterAuthorizationException.class);
        }
    }

    @Test
    void refusesAWrongPassword() {
        Map<String, Object> settings = new HashMap<>(stack.kafkaClientSettings("orders"));
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaBroker.scramLogin("orders", "guessed"));
        assertThatThrownBy(() -> send(settings, Topics.PREORDER_PLACED)).hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    private static void assertRefusedToWrite(String principal, String topic) {
        // A user allowed to write no topic at all is refused earlier: its idempotent producer may not even start, and
        // then send() itself throws (the producer "in an error state", caused by the refusal) instead of its future.
        assertThatThrownBy(() -> send(principal, topic)).as("%s writing %s", principal, topic)
                .rootCause().isInstanceOfAny(TopicAuthorizationException.class, ClusterAuthorizationException.class);
    }

    private static RecordMetadata send(String principal, String topic) throws Exception {
        return send(stack.kafkaClientSettings(principal), topic);
    }

    private static RecordMetadata send(Map<String, Object> clientSettings, String topic) throws Exception {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
            return producer.send(new ProducerRecord<>(topic, "key".getBytes(), "value".getBytes())).get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<byte[], byte[]> groupLessConsumer(String principal) {
        Map<String, Object> settings = new HashMap<>(stack.kafkaClientSettings(principal));
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(settings);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String principal, String group) {
        Map<String, Object> settings = new HashMap<>(stack.kafkaClientSettings(principal));
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(settings);
    }
}
