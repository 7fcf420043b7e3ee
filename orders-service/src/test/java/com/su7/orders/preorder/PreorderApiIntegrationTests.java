package com.su7.orders.preorder;

import com.su7.contract.Topics;
import com.su7.events.Channel;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.messaging.tracing.TraceHeaders;
import com.su7.orders.Http;
import com.su7.testsupport.KafkaProbe;
import com.su7.orders.OrdersIntegrationTest;
import com.su7.orders.TestClockConfiguration;
import com.su7.testsupport.SharedLocalStack;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static com.su7.testsupport.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST and GET /api/preorders against real Kafka, registry and PostgreSQL. */
@OrdersIntegrationTest
class PreorderApiIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    AvroEventDecoder avro;
    @Autowired
    MeterRegistry meters;

    Http http;
    KafkaProbe probe = new KafkaProbe(SharedLocalStack.get());

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static Map<String, Object> request(String customerId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", customerId);
        body.put("variant", "SU7_PRO");
        body.put("exteriorColor", "Olivine Grey");
        body.put("deliveryCity", "Shanghai");
        body.put("deposit", new BigDecimal("5000.00"));
        body.put("channel", "WEB");
        return body;
    }

    @Test
    void placesAPreorderWithItsFirstEtaAndPublishesExactlyOnePreorderPlaced() {
        String customer = "customer-" + UUID.randomUUID();

        Http.Response placed = http.post("/api/preorders", UUID.randomUUID().toString(), request(customer));

        assertThat(placed.status()).isEqualTo(201);
        String id = placed.body().get("id").asString();
        assertThat(placed.headers().getLocation()).hasToString("/api/preorders/" + id);
        assertThat(placed.body().get("status").asString()).isEqualTo("PLACED");
        assertThat(placed.body().get("variant").asString()).isEqualTo("SU7_PRO");
        JsonNode eta = placed.body().get("eta");
        assertThat(eta.get("earliest").asString()).isGreaterThan(TestClockConfiguration.NOW.toString().substring(0, 10));
        assertThat(eta.get("latest").asString()).isGreaterThanOrEqualTo(eta.get("earliest").asString());
        assertThat(placed.body().get("etaHistory")).hasSize(1);
        assertThat(placed.body().get("etaHistory").get(0).get("cause").asString()).isEqualTo("PLACED");

        List<ConsumerRecord<String, byte[]>> published = awaitPublished(id, 1);
        PreorderPlaced event = avro.of(PreorderPlaced.class).decode(published.getFirst());
        assertThat(event.getPreorderId()).isEqualTo(id);
        assertThat(event.getCustomerId()).isEqualTo(customer);
        assertThat(event.getVariant()).isEqualTo(Variant.SU7_PRO);
        assertThat(event.getChannel()).isEqualTo(Channel.WEB);
        assertThat(event.getDeposit()).isEqualByComparingTo("5000.00");
        assertThat(event.getDeliveryCity()).isEqualTo("Shanghai");
        assertThat(event.getPlacedAt()).isAfter(TestClockConfiguration.NOW).isBefore(TestClockConfiguration.NOW.plusSeconds(3600));
        assertThat(meters.counter("su7.orders.placed", "channel", "WEB", "entryPoint", "REST").count()).isGreaterThanOrEqualTo(1);
        assertThat(placed.body().has("interior")).as("no options chosen, none shown").isFalse();
        assertThat(event.getInterior()).isNull();
        assertThat(event.getWheels()).isNull();
    }

    /**
     * The correlation id is the trace id: the answer names it, and the PreorderPlaced record continues that trace. A
     * caller's own plain correlation id is echoed and travels with the event; one that is not plain is ignored.
     */
    @Test
    void answersWithTheRequestsTraceIdOrTheCallersOwnCorrelationIdAndTheEventGoesOnInThatTrace() {
        Http.Response placed = http.post("/api/preorders", UUID.randomUUID().toString(),
                request("customer-" + UUID.randomUUID()), Map.of());
        String traceId = placed.headers().getFirst(TraceHeaders.CORRELATION_ID);
        assertThat(traceId).matches("[0-9a-f]{32}");
        ConsumerRecord<String, byte[]> event = awaitPublished(placed.body().get("id").asString(), 1).getFirst();
        assertThat(TraceHeaders.traceIdOf(header(event, TraceHeaders.TRACEPARENT))).isEqualTo(traceId);
        assertThat(header(event, TraceHeaders.CORRELATION_ID)).isNull();

        Http.Response withItsOwn = http.post("/api/preorders", UUID.randomUUID().toString(),
                request("customer-" + UUID.randomUUID()), Map.of(TraceHeaders.CORRELATION_ID, "checkout-42:a.b_c"));
        assertThat(withItsOwn.headers().getFirst(TraceHeaders.CORRELATION_ID)).isEqualTo("checkout-42:a.b_c");
        ConsumerRecord<String, byte[]> itsEvent = awaitPublished(withItsOwn.body().get("id").asString(), 1).getFirst();
        assertThat(header(itsEvent, TraceHeaders.CORRELATION_ID)).isEqualTo("checkout-42:a.b_c");
        assertThat(header(itsEvent, TraceHeaders.TRACEPARENT)).isNotNull();

        Http.Response notPlain = http.post("/api/preorders", UUID.randomUUID().toString(),
                request("customer-" + UUID.randomUUID()), Map.of(TraceHeaders.CORRELATION_ID, "x".repeat(101)));
        assertThat(notPlain.headers().getFirst(TraceHeaders.CORRELATION_ID)).as("the trace id instead").matches("[0-9a-f]{32}");
        assertThat(header(awaitPublished(notPlain.body().get("id").asString(), 1).getFirst(), TraceHeaders.CORRELATION_ID)).isNull();
    }

    /** Contract v0.2.0: the options a customer chose travel on PreorderPlaced and show in the API. */
    @Test
    void theInteriorAndWheelsChosenAreShownAndPublished() {
        Map<String, Object> body = request("customer-" + UUID.randomUUID());
        body.put("interior", "Obsidian Black");
        body.put("wheels", "20-inch Forged");

        Http.Response placed = http.post("/api/preorders", UUID.randomUUID().toString(), body);

        assertThat(placed.status()).isEqualTo(201);
        String id = placed.body().get("id").asString();
        JsonNode shown = http.get("/api/preorders/" + id).body();
        assertThat(shown.get("interior").asString()).isEqualTo("Obsidian Black");
        assertThat(shown.get("wheels").asString()).isEqualTo("20-inch Forged");
        PreorderPlaced event = avro.of(PreorderPlaced.class).decode(awaitPublished(id, 1).getFirst());
        assertThat(event.getInterior()).isEqualTo("Obsidian Black");
        assertThat(event.getWheels()).isEqualTo("20-inch Forged");
    }

    @Test
    void theSameKeyWithOtherOptionsIsAConflictAndAnOverlongOptionA400() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = request("customer-" + UUID.randomUUID());
        body.put("interior", "Obsidian Black");
        assertThat(http.post("/api/preorders", key, body).status()).isEqualTo(201);
        body.put("interior", "Coral Orange");
        assertThat(http.post("/api/preorders", key, body).status()).isEqualTo(409);

        body.put("wheels", "w".repeat(41));
        Http.Response refused = http.post("/api/preorders", UUID.randomUUID().toString(), body);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().toString()).contains("wheels");
    }

    @Test
    void theSameKeyWithTheSameRequestReturnsTheSamePreorderAndPublishesNothingMore() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = request("customer-" + UUID.randomUUID());
        Http.Response first = http.post("/api/preorders", key, body);
        // The same order, spelled differently: a deposit of 5000 is 5000.00, a city in any case.
        body.put("deposit", 5000);
        body.put("deliveryCity", "shanghai");
        Http.Response replay = http.post("/api/preorders", key, body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.headers().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body().get("id")).isEqualTo(first.body().get("id"));
        assertThat(replay.body().get("eta")).isEqualTo(first.body().get("eta"));
        String id = first.body().get("id").asString();
        awaitPublished(id, 1);
        // Anything published later would come after this marker on the relay's in-order path.
        String marker = http.post("/api/preorders", UUID.randomUUID().toString(), request("marker")).body().get("id").asString();
        awaitPublished(marker, 1);
        assertThat(probe.recordsWithKey(Topics.PREORDER_PLACED, id)).hasSize(1);
    }

    @Test
    void concurrentRequestsWithTheSameKeyPlaceOnePreorder() throws Exception {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = request("customer-" + UUID.randomUUID());
        List<Callable<Http.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> http.post("/api/preorders", key, body));
        }
        List<Http.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Http.Response> response : pool.invokeAll(calls)) {
                responses.add(response.get());
            }
        }
        assertThat(responses).extracting(Http.Response::status).containsOnly(200, 201).containsOnlyOnce(201);
        assertThat(responses).extracting(response -> response.body().get("id").asString()).containsOnly(responses.getFirst().body().get("id").asString());
        awaitPublished(responses.getFirst().body().get("id").asString(), 1);
    }

    @Test
    void placesABurstOfRequestsEachWithItsOwnAnswer() throws Exception {
        // Concurrent requests are placed together, a batch per transaction: each still gets its own answer.
        String contested = UUID.randomUUID().toString();
        List<Callable<Http.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(() -> http.post("/api/preorders", UUID.randomUUID().toString(), request("customer-" + UUID.randomUUID())));
        }
        calls.add(() -> http.post("/api/preorders", contested, request("first-" + UUID.randomUUID())));
        calls.add(() -> http.post("/api/preorders", contested, request("second-" + UUID.randomUUID())));
        List<Http.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(calls.size())) {
            for (Future<Http.Response> response : pool.invokeAll(calls)) {
                responses.add(response.get());
            }
        }

        List<Http.Response> fresh = responses.subList(0, 30);
        assertThat(fresh).extracting(Http.Response::status).containsOnly(201);
        assertThat(fresh).extracting(response -> response.body().get("id").asString()).doesNotHaveDuplicates();
        assertThat(fresh).allSatisfy(response -> {
            assertThat(response.body().get("status").asString()).isEqualTo("PLACED");
            assertThat(response.body().get("eta").has("earliest")).isTrue();
            assertThat(response.body().get("etaHistory").get(0).get("cause").asString()).isEqualTo("PLACED");
        });
        assertThat(responses.subList(30, 32)).extracting(Http.Response::status).containsExactlyInAnyOrder(201, 409);
    }

    @Test
    void theSameKeyWithADifferentRequestIsAConflict() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = request("customer-" + UUID.randomUUID());
        Http.Response first = http.post("/api/preorders", key, body);
        body.put("exteriorColor", "Aqua Blue");

        Http.Response conflict = http.post("/api/preorders", key, body);

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.body().get("detail").asString()).contains(key).contains("different");
        assertThat(conflict.body().get("type").asString()).isEqualTo("urn:su7:problem:idempotency-conflict");
        awaitPublished(first.body().get("id").asString(), 1);
    }

    @Test
    void aBadRequestIsA400NamingEveryBadField() {
        Map<String, Object> body = request(" ");
        body.put("variant", "SU8");
        body.put("deposit", new BigDecimal("-1.005"));
        body.put("channel", "FAX");
        body.put("deliveryCity", "Atlantis");
        body.remove("exteriorColor");

        Http.Response response = http.post("/api/preorders", UUID.randomUUID().toString(), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("type").asString()).isEqualTo("urn:su7:problem:invalid-request");
        assertThat(fields(response)).containsExactlyInAnyOrder("channel", "customerId", "deliveryCity", "deposit", "deposit",
                "exteriorColor", "variant");
        assertThat(response.body().toString()).contains("we do not deliver to 'Atlantis'", "must be one of SU7, SU7_PRO, SU7_MAX");
        assertThat(meters.counter("su7.orders.rejected", "entryPoint", "REST", "reason", "invalid").count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aRequestWithoutAnIdempotencyKeyIsA400() {
        Http.Response missing = http.post("/api/preorders", null, request("customer-" + UUID.randomUUID()));
        Http.Response blank = http.post("/api/preorders", "  ", request("customer-" + UUID.randomUUID()));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(fields(missing)).containsExactly("Idempotency-Key");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(fields(blank)).containsExactly("Idempotency-Key");
    }

    @Test
    void aValueOfTheWrongTypeOrNoJsonIsA400() {
        Map<String, Object> body = request("customer-" + UUID.randomUUID());
        body.put("deposit", "a lot");
        Http.Response wrongType = http.post("/api/preorders", UUID.randomUUID().toString(), body);
        Http.Response notJson = http.post("/api/preorders", UUID.randomUUID().toString(), "{not json");

        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(fields(wrongType)).containsExactly("deposit");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anUnknownPreorderIsA404() {
        Http.Response unknown = http.get("/api/preorders/" + UUID.randomUUID());
        Http.Response notAnId = http.get("/api/preorders/not-an-id");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.body().get("type").asString()).isEqualTo("urn:su7:problem:unknown-preorder");
        assertThat(notAnId.status()).isEqualTo(404);
    }

    @Test
    void listsACustomersPreordersOldestFirstAPageAtATime() {
        String customer = "customer-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(http.post("/api/preorders", UUID.randomUUID().toString(), request(customer)).body().get("id").asString());
        }

        Http.Response firstPage = http.get("/api/preorders?customerId=" + customer + "&page=0&size=2");
        Http.Response secondPage = http.get("/api/preorders?customerId=" + customer + "&page=1&size=2");

        assertThat(firstPage.status()).isEqualTo(200);
        assertThat(firstPage.body().get("totalItems").asLong()).isEqualTo(3);
        assertThat(firstPage.body().get("totalPages").asLong()).isEqualTo(2);
        List<String> listed = new ArrayList<>();
        for (Http.Response page : List.of(firstPage, secondPage)) {
            page.body().get("items").forEach(item -> listed.add(item.get("id").asString()));
        }
        assertThat(listed).containsExactlyElementsOf(ids);
        assertThat(firstPage.body().get("items").get(0).get("eta").has("earliest")).isTrue();
        assertThat(http.get("/api/preorders?page=0").status()).isEqualTo(400);
        assertThat(http.get("/api/preorders?customerId=x&size=1000").status()).isEqualTo(400);
    }

    @Test
    void findsPreordersByTheirIdempotencyKeysAsEachOneShowsInTheOrderAsked() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String unknown = UUID.randomUUID().toString();
        String firstId = http.post("/api/preorders", first, request("customer-" + UUID.randomUUID())).body().get("id").asString();
        String secondId = http.post("/api/preorders", second, request("customer-" + UUID.randomUUID())).body().get("id").asString();

        // Read together, so that an ETA re-estimated in between only means another round.
        await().atMost(PATIENCE).untilAsserted(() -> {
            Http.Response commaSeparated = http.get("/api/preorders/lookup?idempotencyKeys=" + second + "," + unknown + "," + first + "," + second);
            Http.Response repeated = http.get("/api/preorders/lookup?idempotencyKeys=" + second + "&idempotencyKeys=" + first);
            JsonNode shownFirst = http.preorder(firstId);
            JsonNode shownSecond = http.preorder(secondId);

            assertThat(commaSeparated.status()).isEqualTo(200);
            JsonNode items = commaSeparated.body().get("items");
            assertThat(items).extracting(item -> item.get("idempotencyKey").asString()).containsExactly(second, first);
            assertThat(items.get(0).get("preorder")).isEqualTo(shownSecond);
            assertThat(items.get(1).get("preorder")).isEqualTo(shownFirst);
            assertThat(commaSeparated.body().get("notFound")).extracting(JsonNode::asString).containsExactly(unknown);
            assertThat(repeated.body().get("items")).isEqualTo(items);
            assertThat(repeated.body().get("notFound")).isEmpty();
        });
        assertThat(http.preorder(firstId).get("etaHistory").get(0).get("cause").asString()).isEqualTo("PLACED");
    }

    @Test
    void aBadLookupByKeysIsA400NamingEveryBadField() {
        String tooMany = IntStream.rangeClosed(0, PreorderController.MAX_KEYS).mapToObj(i -> "key-" + i).collect(Collectors.joining(","));

        Http.Response none = http.get("/api/preorders/lookup");
        Http.Response empty = http.get("/api/preorders/lookup?idempotencyKeys=");
        Http.Response overTheLimit = http.get("/api/preorders/lookup?idempotencyKeys=" + tooMany);
        // '+' is a space in a query: a blank key.
        Http.Response badKeys = http.get("/api/preorders/lookup?idempotencyKeys=ok&idempotencyKeys=+&idempotencyKeys="
                + "k".repeat(PreorderValidation.MAX_KEY_LENGTH + 1));

        assertThat(none.status()).isEqualTo(400);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(fields(none)).containsExactly("idempotencyKeys");
        assertThat(fields(empty)).containsExactly("idempotencyKeys");
        assertThat(overTheLimit.status()).isEqualTo(400);
        assertThat(fields(overTheLimit)).containsExactly("idempotencyKeys");
        assertThat(overTheLimit.body().toString()).contains("must be at most 100 keys, not 101");
        assertThat(badKeys.status()).isEqualTo(400);
        assertThat(fields(badKeys)).containsExactly("idempotencyKeys[1]", "idempotencyKeys[2]");
    }

    @Test
    void countsPreordersByStatusForOps() {
        http.post("/api/preorders", UUID.randomUUID().toString(), request("customer-" + UUID.randomUUID()));

        Http.Response stats = http.get("/api/preorders/stats");

        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.body().get("byStatus").get("PLACED").asLong()).isPositive();
        assertThat(stats.body().get("byStatus").has("BUILT")).isTrue();
        assertThat(stats.body().get("byStatus").has("DELIVERY_SCHEDULED")).isTrue();
        long sum = StreamSupport.stream(stats.body().get("byStatus").spliterator(), false).mapToLong(JsonNode::asLong).sum();
        assertThat(stats.body().get("total").asLong()).isEqualTo(sum);
        assertThat(Instant.parse(stats.body().get("countedAt").asString())).isBetween(Instant.now().minusSeconds(5), Instant.now());
    }

    @Test
    void countsAtMostOnceASecondHoweverOftenAsked() {
        Http.Response first = http.get("/api/preorders/stats");
        List<String> countedAt = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            countedAt.add(http.get("/api/preorders/stats").body().get("countedAt").asString());
        }

        assertThat(countedAt.stream().distinct().count()).as("three calls within a second share a count").isLessThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(http.get("/api/preorders/stats").body().get("countedAt").asString())
                .as("counted again once the last count is a second old").isNotEqualTo(first.body().get("countedAt").asString()));
    }

    private List<ConsumerRecord<String, byte[]>> awaitPublished(String preorderId, int count) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            found.addAll(probe.recordsWithKey(Topics.PREORDER_PLACED, preorderId));
            assertThat(found).hasSize(count);
        });
        return found;
    }

    private static List<String> fields(Http.Response response) {
        List<String> fields = new ArrayList<>();
        response.body().get("errors").forEach(error -> fields.add(error.get("field").asString()));
        return fields;
    }
}
