package com.su7.orders.preorder;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.orders.Http;
import com.su7.testsupport.KafkaProbe;
import com.su7.orders.OrdersIntegrationTest;
import com.su7.testsupport.SharedLocalStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.su7.testsupport.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Preorder requests from the car app's event topic: JSON, validated, idempotent on the request id. */
@OrdersIntegrationTest
class AppPreorderRequestIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    AvroEventDecoder avro;
    @Autowired
    JdbcTemplate jdbc;

    Http http;
    KafkaProbe probe = new KafkaProbe(SharedLocalStack.get());

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static String request(String requestId, String customerId, String color) {
        return """
                {"requestId": "%s", "customerId": "%s", "variant": "SU7", "exteriorColor": "%s",
                 "deliveryCity": "Beijing", "deposit": 5000.00, "channel": "APP", "requestedAt": "2026-05-09T08:30:00+08:00"}"""
                .formatted(requestId, customerId, color);
    }

    @Test
    void anAppRequestPlacesAPreorderAndPublishesExactlyOnePreorderPlaced() {
        String requestId = UUID.randomUUID().toString();
        String customer = "app-customer-" + UUID.randomUUID();

        send(requestId, request(requestId, customer, "Lava Orange"));

        JsonNode preorder = awaitPreordersOf(customer, 1).getFirst();
        assertThat(preorder.get("status").asString()).isEqualTo("PLACED");
        assertThat(preorder.get("channel").asString()).isEqualTo("APP");
        assertThat(preorder.get("placedAt").asString()).isEqualTo("2026-05-09T00:30:00Z");
        String id = preorder.get("id").asString();
        List<ConsumerRecord<String, byte[]>> published = awaitPublished(id);
        PreorderPlaced event = avro.of(PreorderPlaced.class).decode(published.getFirst());
        assertThat(event.getCustomerId()).isEqualTo(customer);
        assertThat(event.getPlacedAt()).isEqualTo(Instant.parse("2026-05-09T00:30:00Z"));
    }

    @Test
    void theAppFindsThePreordersOfItsRequestsByTheirRequestIds() {
        String requestId = UUID.randomUUID().toString();
        String notSent = UUID.randomUUID().toString();
        String customer = "app-customer-" + UUID.randomUUID();

        send(requestId, request(requestId, customer, "Lava Orange"));

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode found = http.get("/api/preorders/lookup?idempotencyKeys=" + notSent + "," + requestId).body();
            assertThat(found.get("items")).hasSize(1);
            assertThat(found.get("items").get(0).get("idempotencyKey").asString()).isEqualTo(requestId);
            JsonNode preorder = found.get("items").get(0).get("preorder");
            assertThat(preorder.get("customerId").asString()).isEqualTo(customer);
            assertThat(preorder.get("eta").has("earliest")).isTrue();
            assertThat(preorder.get("etaHistory").get(0).get("cause").asString()).isEqualTo("PLACED");
            assertThat(found.get("notFound")).extracting(JsonNode::asString).containsExactly(notSent);
        });
    }

    @Test
    void aReplayedRequestPlacesNoSecondPreorder() {
        String requestId = UUID.randomUUID().toString();
        String customer = "app-customer-" + UUID.randomUUID();
        send(requestId, request(requestId, customer, "Lava Orange"));
        String id = awaitPreordersOf(customer, 1).getFirst().get("id").asString();
        // A replay the inbox remembers is skipped; one it has forgotten (after 14 days) meets the idempotency key.
        send(requestId, request(requestId, customer, "Lava Orange"));
        jdbc.update("delete from processed_event where consumer = 'orders.preorder-requests' and event_id like ?", requestId + ":%");
        send(requestId, request(requestId, customer, "Lava Orange"));
        // On the same partition, after the replays: once it is placed, they were processed.
        String marker = UUID.randomUUID().toString();
        send(requestId, request(marker, customer, "Marker White"));

        List<JsonNode> preorders = awaitPreordersOf(customer, 2);
        assertThat(preorders).extracting(preorder -> preorder.get("exteriorColor").asString())
                .containsExactlyInAnyOrder("Lava Orange", "Marker White");
        awaitPublished(id);
        assertThat(probe.recordsWithKey(Topics.PREORDER_REQUESTS_DLT, requestId)).isEmpty();
    }

    @Test
    void theSameRequestIdWithADifferentOrderGoesToTheDeadLettersAsAConflict() {
        String requestId = UUID.randomUUID().toString();
        String customer = "app-customer-" + UUID.randomUUID();
        send(requestId, request(requestId, customer, "Lava Orange"));
        send(requestId, request(requestId, customer, "Aqua Blue"));

        List<ConsumerRecord<String, byte[]>> deadLetters = awaitDeadLetters(requestId, 1);
        assertThat(header(deadLetters.getFirst(), "kafka_dlt-exception-message"))
                .contains("idempotency key " + requestId + " was already used for a different preorder request");
        assertThat(new String(deadLetters.getFirst().value(), StandardCharsets.UTF_8)).contains("Aqua Blue");
        assertThat(awaitPreordersOf(customer, 1).getFirst().get("exteriorColor").asString()).isEqualTo("Lava Orange");
    }

    @Test
    void invalidRequestsGoToTheDeadLettersWithEveryReason() {
        String key = "poison-" + UUID.randomUUID();
        String schemaBreaking = """
                {"requestId": "not-a-uuid", "customerId": "", "variant": "SU8", "exteriorColor": "Grey",
                 "deposit": 0, "channel": "APP", "coupon": "FREE"}""";
        String ruleBreaking = request(UUID.randomUUID().toString(), " ", "Grey").replace("Beijing", "Atlantis");
        send(key, schemaBreaking);
        send(key, ruleBreaking);
        send(key, "{not json");
        probe.send(Topics.PREORDER_REQUESTS, key, null);

        List<ConsumerRecord<String, byte[]>> deadLetters = awaitDeadLetters(key, 4);
        String schemaReasons = header(deadLetters.get(0), "kafka_dlt-exception-message");
        assertThat(schemaReasons).contains("requestId: ", "customerId: ", "variant: ", "deliveryCity: ", "deposit: ", "coupon: ");
        assertThat(header(deadLetters.get(1), "kafka_dlt-exception-message"))
                .contains("customerId: must not be blank", "deliveryCity: we do not deliver to 'Atlantis'");
        assertThat(header(deadLetters.get(2), "kafka_dlt-exception-message")).contains("not JSON");
        assertThat(header(deadLetters.get(3), "kafka_dlt-exception-message")).contains("no value");
        assertThat(header(deadLetters.get(0), "kafka_dlt-original-topic")).isEqualTo(Topics.PREORDER_REQUESTS);
        assertThat(new String(deadLetters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(schemaBreaking);
    }

    private void send(String key, String json) {
        probe.send(Topics.PREORDER_REQUESTS, key, json.getBytes(StandardCharsets.UTF_8));
    }

    private List<JsonNode> awaitPreordersOf(String customer, int count) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            http.get("/api/preorders?customerId=" + customer).body().get("items").forEach(found::add);
            assertThat(found).hasSize(count);
        });
        return found;
    }

    private List<ConsumerRecord<String, byte[]>> awaitPublished(String preorderId) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            found.addAll(probe.recordsWithKey(Topics.PREORDER_PLACED, preorderId));
            assertThat(found).hasSize(1);
        });
        return found;
    }

    private List<ConsumerRecord<String, byte[]>> awaitDeadLetters(String key, int count) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            found.addAll(probe.recordsWithKey(Topics.PREORDER_REQUESTS_DLT, key));
            assertThat(found).hasSize(count);
        });
        return found;
    }
}
