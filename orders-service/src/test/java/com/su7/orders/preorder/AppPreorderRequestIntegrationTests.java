package com.su7.orders.preorder;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.localstack.HttpClientCredentials;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    @Autowired
    Clock clock;

    Http http;
    KafkaProbe probe = new KafkaProbe(SharedLocalStack.get());

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static String request(String requestId, String customerId, String color) {
        return request(requestId, customerId, color, "2026-05-10T12:00:00+08:00");
    }

    static String request(String requestId, String customerId, String color, String requestedAt) {
        return """
                {"requestId": "%s", "customerId": "%s", "variant": "SU7", "exteriorColor": "%s",
                 "deliveryCity": "Beijing", "deposit": 5000.00, "channel": "APP", "requestedAt": "%s"}"""
                .formatted(requestId, customerId, color, requestedAt);
    }

    @Test
    void anAppRequestPlacesAPreorderAndPublishesExactlyOnePreorderPlaced() {
        String requestId = UUID.randomUUID().toString();
        String customer = "app-customer-" + UUID.randomUUID();

        send(requestId, request(requestId, customer, "Lava Orange"));

        JsonNode preorder = awaitPreordersOf(customer, 1).getFirst();
        assertThat(preorder.get("status").asString()).isEqualTo("PLACED");
        assertThat(preorder.get("channel").asString()).isEqualTo("APP");
        String id = preorder.get("id").asString();
        List<ConsumerRecord<String, byte[]>> published = awaitPublished(id);
        PreorderPlaced event = avro.of(PreorderPlaced.class).decode(published.getFirst());
        assertThat(event.getCustomerId()).isEqualTo(customer);
        assertThat(event.getPlacedAt()).isEqualTo(Instant.parse(preorder.get("placedAt").asString()));
    }

    @Test
    void aRequestedAtFarInThePastDoesNotMoveThePreorderAheadOfItsReceipt() {
        String requestId = UUID.randomUUID().toString();
        String customer = "app-customer-" + UUID.randomUUID();
        Instant before = clock.instant();

        send(requestId, request(requestId, customer, "Lava Orange", "2000-01-01T00:00:00Z"));

        Instant placedAt = Instant.parse(awaitPreordersOf(customer, 1).getFirst().get("placedAt").asString());
        assertThat(placedAt).as("at most the skew (1 s) before it was received").isBetween(before.minusSeconds(1), clock.instant());
    }

    @Test
    void aRequestedAtInTheFutureIsPlacedAtItsReceipt() {
        String requestId = UUID.randomUUID().toString();
        String customer = "app-customer-" + UUID.randomUUID();
        Instant before = clock.instant();

        send(requestId, request(requestId, customer, "Lava Orange", "2100-01-01T00:00:00Z"));

        Instant placedAt = Instant.parse(awaitPreordersOf(customer, 1).getFirst().get("placedAt").asString());
        assertThat(placedAt).isBetween(before, clock.instant());
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
        String schemaBreaking = """
                {"requestId": "not-a-uuid", "customerId": "", "variant": "SU8", "exteriorColor": "Grey",
                 "deposit": 0, "channel": "APP", "coupon": "FREE"}""";
        String ruleBreaking = request(UUID.randomUUID().toString(), " ", "Grey").replace("Beijing", "Atlantis");
        List<String> keys = List.of("poison-" + UUID.randomUUID(), "poison-" + UUID.randomUUID(), "poison-" + UUID.randomUUID(),
                "poison-" + UUID.randomUUID());
        send(keys.get(0), schemaBreaking);
        send(keys.get(1), ruleBreaking);
        send(keys.get(2), "{not json");
        probe.send(Topics.PREORDER_REQUESTS, keys.get(3), null);

        List<ConsumerRecord<String, byte[]>> deadLetters = keys.stream().map(key -> awaitDeadLetters(key, 1).getFirst()).toList();
        String schemaReasons = header(deadLetters.get(0), "kafka_dlt-exception-message");
        assertThat(schemaReasons).contains("requestId: ", "customerId: ", "variant: ", "deliveryCity: ", "deposit: ", "coupon: ");
        assertThat(header(deadLetters.get(1), "kafka_dlt-exception-message"))
                .contains("customerId: must not be blank", "deliveryCity: we do not deliver to 'Atlantis'");
        assertThat(header(deadLetters.get(2), "kafka_dlt-exception-message")).contains("not JSON");
        assertThat(header(deadLetters.get(3), "kafka_dlt-exception-message")).contains("no value");
        assertThat(header(deadLetters.get(0), "kafka_dlt-original-topic")).isEqualTo(Topics.PREORDER_REQUESTS);
        assertThat(header(deadLetters.get(0), "kafka_dlt-original-consumer-group")).isEqualTo("orders.preorder-requests");
        assertThat(new String(deadLetters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(schemaBreaking);
    }

    /**
     * The review's case: one invalid request of 1,047,800 bytes (the broker takes it) could not be dead-lettered with
     * its headers, was redelivered for good, and the valid requests behind it on its partition were never placed.
     */
    @Test
    void anOversizedInvalidRequestIsKeptWithItsReasonAndTheRequestsBehindItArePlacedWithin30Seconds() {
        String bigKey = UUID.randomUUID().toString();
        byte[] big = new byte[1_047_800];
        java.util.Arrays.fill(big, (byte) 'x');
        String customer = "app-customer-" + UUID.randomUUID();
        List<String> behind = new ArrayList<>();
        while (behind.size() < 3) {
            String requestId = UUID.randomUUID().toString();
            if (partitionOf(requestId) == partitionOf(bigKey)) {
                behind.add(requestId);
            }
        }
        probe.send(Topics.PREORDER_REQUESTS, bigKey, big);
        behind.forEach(requestId -> send(requestId, request(requestId, customer, "Lava Orange")));

        List<JsonNode> placed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            placed.clear();
            http.get("/api/preorders?customerId=" + customer).body().get("items").forEach(placed::add);
            assertThat(placed).hasSize(3);
        });

        ConsumerRecord<String, byte[]> copy = awaitDeadLetters(bigKey, 1).getFirst();
        assertThat(copy.value()).as("too large to travel again: left out of the copy").isNull();
        assertThat(header(copy, "su7_dlt-payload")).isEqualTo("stored");
        JsonNode listed = new Http(port, HttpClientCredentials.OPS).get("/api/dead-letters?preorderId=" + bigKey).body();
        assertThat(listed.get("count").asInt()).isEqualTo(1);
        JsonNode deadLetter = listed.get("deadLetters").get(0);
        assertThat(deadLetter.get("state").asString()).isEqualTo("OPEN");
        assertThat(deadLetter.get("payloadBytes").asInt()).as("the original, whole, in the service's database").isEqualTo(1_047_800);
        assertThat(deadLetter.get("reason").asString()).contains("not JSON");
        assertThat(deadLetter.get("consumer").asString()).isEqualTo("orders.preorder-requests");
        assertThat(deadLetter.get("payload").asString()).startsWith("xxxx");

        Http ops = new Http(port, HttpClientCredentials.OPS);
        Map<String, Object> ofBigKey = new LinkedHashMap<>(Map.of("preorderId", bigKey, "dryRun", true));
        JsonNode dryRun = ops.post("/api/dead-letters/redrives", null, ofBigKey).body();
        assertThat(dryRun.get("letters").get(0).get("outcome").asString()).isEqualTo("WOULD_REDRIVE");
        ofBigKey.put("dryRun", false);
        JsonNode redrive = ops.post("/api/dead-letters/redrives", null, ofBigKey).body();
        assertThat(redrive.get("failed").asInt()).as("still not JSON").isEqualTo(1);
        assertThat(redrive.get("requestedBy").asString()).isEqualTo(HttpClientCredentials.OPS);
        assertThat(ops.get("/api/dead-letters/redrives").body().get(0).get("filter").asString()).contains(bigKey);
        assertThat(new Http(port).get("/api/dead-letters").status()).as("ops only").isEqualTo(403);
        Http.Response badLimit = ops.get("/api/dead-letters?limit=0");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.body().get("type").asString()).isEqualTo("urn:su7:problem:invalid-request");
        assertThat(badLimit.body().get("errors").get(0).get("field").asString()).isEqualTo("limit");
        assertThat(ops.get("/api/dead-letters/987654321").body().get("type").asString()).isEqualTo("urn:su7:problem:unknown-dead-letter");
    }

    private static int partitionOf(String key) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topics.PREORDER_REQUESTS_SPEC.partitions();
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
