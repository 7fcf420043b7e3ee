package com.su7.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The faults the fault suite injects: each part of the stack goes away and comes back on its port with its data. */
class LocalStackFaultsIntegrationTests {

    @TempDir
    Path dataDirectory;

    @Test
    void kafkaPostgresAndTheRegistryComeBackInPlaceWithTheirData() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts().withDataDirectory(dataDirectory))) {
            String bootstrap = stack.kafkaBootstrapServers();
            try (Admin admin = admin(stack)) {
                admin.createTopics(List.of(new NewTopic("survives-a-kill", 1, (short) 1))).all().get();
            }
            send(stack, "survives-a-kill");
            try (Connection connection = connect(stack.database("orders")); Statement statement = connection.createStatement()) {
                statement.execute("create table kept (id int primary key)");
                statement.execute("insert into kept values (7)");
            }

            stack.killKafka();
            assertThat(Ports.accepts(Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)))).isFalse();
            stack.restartKafka();
            assertThat(stack.kafkaBootstrapServers()).isEqualTo(bootstrap);
            try (Admin admin = admin(stack)) {
                assertThat(admin.listTopics().names().get()).contains("survives-a-kill");
            }
            send(stack, "survives-a-kill");

            stack.stopPostgres();
            assertThatThrownBy(() -> connect(stack.database("orders")).close()).hasMessageContaining("Connection");
            stack.startPostgres();
            try (Connection connection = connect(stack.database("orders")); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select id from kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(7);
            }

            stack.stopRegistry();
            assertThatThrownBy(() -> subjects(stack)).isInstanceOf(ConnectException.class);
            stack.startRegistry();
            assertThat(subjects(stack).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aThreeBrokerClusterKeepsAcceptingWritesWithOneBrokerDown() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(), 3)) {
            assertThat(stack.kafkaBrokers()).isEqualTo(3);
            assertThat(stack.environment()).containsEntry("SU7_MESSAGING_TOPICREPLICAS", "3");
            try (Admin admin = admin(stack)) {
                admin.createTopics(List.of(new NewTopic("replicated", Optional.of(3), Optional.empty()))).all().get();
                // The broker asked may learn of the new topic a moment after the controller created it.
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    TopicDescription replicated = admin.describeTopics(List.of("replicated")).allTopicNames().get().get("replicated");
                    assertThat(replicated.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
                    assertThat(admin.describeConfigs(List.of(new ConfigResource(
                                    ConfigResource.Type.TOPIC, "replicated"))).all().get()
                            .values().iterator().next().get("min.insync.replicas").value()).isEqualTo("2");
                });
            }

            stack.killKafkaBroker(0);
            send(stack, "replicated");
            stack.restartKafka();
            try (Admin admin = admin(stack)) {
                assertThat(admin.describeCluster().nodes().get()).hasSize(3);
            }
        }
    }

    /** acks=all: only acknowledged once min.insync.replicas brokers have it. */
    private static void send(LocalStack stack, String topic) throws Exception {
        Map<String, Object> settings = new HashMap<>(stack.kafkaClientSettings(KafkaPrincipal.ADMIN));
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            for (int key = 0; key < 12; key++) {
                producer.send(new ProducerRecord<>(topic, "key-" + key, "value")).get();
            }
        }
    }

    private static HttpResponse<Void> subjects(LocalStack stack) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.registryConfluentApiUrl() + "/subjects")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static Admin admin(LocalStack stack) {
        return Admin.create(stack.kafkaClientSettings(KafkaPrincipal.ADMIN));
    }

    private static Connection connect(DatabaseAccess access) throws Exception {
        return DriverManager.getConnection(access.jdbcUrl(), access.username(), access.password());
    }
}
