package com.su7.system;

import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import com.su7.testsupport.SharedLocalStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One preorder's trace as ops open it in Zipkin: from the placement (a REST request, or the app's record with its own
 * W3C traceparent) through the three services to the schedule orders-service shows, every hop with its wait in the
 * outbox and in the topic, in causal order. The services sample every trace here and send their spans at once.
 */
class TracingIntegrationTests {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** From the outbox written after it is placed to the schedule orders applies: the spans, each from its parent. */
    private static final List<String> TO_THE_SCHEDULE = List.of(
            "orders-service outbox orders.preorder-placed",
            "production-service topic orders.preorder-placed",
            "production-service apply production.preorder-placed",
            "production-service production queue",
            "production-service outbox production.unit-built",
            "delivery-service topic production.unit-built",
            "delivery-service apply delivery.unit-built",
            "delivery-service outbox delivery.delivery-scheduled",
            "orders-service topic delivery.delivery-scheduled",
            "orders-service apply orders.delivery-scheduled");

    private static LocalStack stack;
    private static URI zipkin;
    private static RunningSystem system;

    @BeforeAll
    static void startTheSystemWithZipkin() {
        stack = SharedLocalStack.get();
        zipkin = URI.create(stack.startZipkin());
        system = RunningSystem.start(stack, Duration.ofSeconds(1), Map.of(
                "MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0",
                "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms"));
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aRestPlacementsTraceRunsThroughTheThreeServicesToItsSchedule() {
        HttpResponse<String> placed = Api.post(system.service("orders").baseUri().resolve("/api/preorders"),
                "trace-" + UUID.randomUUID(), PreorderLoad.request("trace-" + UUID.randomUUID(), 0, "WEB"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String preorderId = Api.JSON.readTree(placed.body()).path("id").asString();
        // The caller sent no correlation id of its own: the answer's is the trace id.
        String traceId = placed.headers().firstValue("X-Correlation-Id").orElseThrow();
        assertThat(traceId).matches("[0-9a-f]{32}");

        List<JsonNode> chain = awaitChainToTheSchedule(traceId, preorderId);

        JsonNode request = chain.getFirst();
        assertThat(describe(request)).isEqualTo("orders-service http post /api/preorders");
        assertThat(request.has("parentId")).as("the request began the trace").isFalse();
        assertThat(chain.subList(1, chain.size()).stream().map(TracingIntegrationTests::describe).toList())
                .as("the spans from the request to the schedule, each the parent of the next")
                .isIn(TO_THE_SCHEDULE, withoutTheQueue());
        assertCausalOrder(chain);
    }

    @Test
    void anAppRequestCarryingItsOwnTraceparentIsPlacedAndScheduledInThatTrace() {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String appSpanId = HexFormat.of().formatHex(randomBytes(8));
        String requestId = UUID.randomUUID().toString();
        ObjectNode request = PreorderLoad.request("trace-app-" + UUID.randomUUID(), 1, "APP").put("requestId", requestId);
        Map<String, Object> settings = new HashMap<>(stack.kafkaClientSettings(KafkaPrincipal.APP.name()));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> app = new KafkaProducer<>(settings)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.PREORDER_REQUESTS, requestId, Api.JSON.writeValueAsString(request));
            record.headers().add("traceparent", "00-%s-%s-01".formatted(traceId, appSpanId).getBytes(StandardCharsets.US_ASCII));
            app.send(record);
        }

        List<JsonNode> chain = awaitChainToTheSchedule(traceId, null);

        assertThat(chain.subList(0, 3).stream().map(TracingIntegrationTests::describe).toList()).containsExactly(
                "orders-service topic app.preorder-requests",
                "orders-service apply orders.preorder-requests",
                "orders-service outbox orders.preorder-placed");
        assertThat(chain.getFirst().path("parentId").asString()).as("continues the app's span").isEqualTo(appSpanId);
        assertThat(chain.subList(2, chain.size()).stream().map(TracingIntegrationTests::describe).toList())
                .isIn(TO_THE_SCHEDULE, withoutTheQueue());
        assertCausalOrder(chain);
    }

    /** A spare unit of a cancelled preorder (another test's, on the same databases) goes to a new preorder at once. */
    private static List<String> withoutTheQueue() {
        return TO_THE_SCHEDULE.stream().filter(span -> !span.endsWith("production queue")).toList();
    }

    /**
     * Waits until Zipkin holds the trace up to orders applying the schedule; returns the spans from its root (within
     * this system) to that one, each the parent of the next.
     */
    private static List<JsonNode> awaitChainToTheSchedule(String traceId, String preorderId) {
        List<JsonNode> chain = new ArrayList<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, JsonNode> byId = new HashMap<>();
            trace(traceId).ifPresent(spans -> spans.forEach(span -> byId.put(span.path("id").asString(), span)));
            JsonNode schedule = byId.values().stream().filter(span -> describe(span).equals("orders-service apply orders.delivery-scheduled"))
                    .findFirst().orElse(null);
            assertThat(schedule).as("orders applying the schedule, in trace %s (%d spans so far)", traceId, byId.size()).isNotNull();
            chain.clear();
            for (JsonNode span = schedule; span != null; span = byId.get(span.path("parentId").asString())) {
                chain.addFirst(span);
            }
            assertThat(chain.size()).as("the spans from the placement to the schedule, all exported").isGreaterThanOrEqualTo(10);
        });
        if (preorderId != null) {
            assertThat(chain.stream().filter(span -> span.path("tags").path("messaging.kafka.message.key").asString().equals(preorderId)))
                    .as("the hops of preorder %s are found by its id", preorderId).hasSizeGreaterThanOrEqualTo(6);
        }
        return chain;
    }

    /**
     * Each span starts no earlier than its parent (within the millisecond a record's timestamp is rounded to), and
     * the waits (in the outbox, in the topic) last for a time that is there, not a made-up one.
     */
    private static void assertCausalOrder(List<JsonNode> chain) {
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).path("timestamp").asLong()).as("start of %s after %s", describe(chain.get(i)), describe(chain.get(i - 1)))
                    .isGreaterThanOrEqualTo(chain.get(i - 1).path("timestamp").asLong() - 1_000);
        }
        chain.stream().filter(span -> span.path("name").asString().matches("(outbox|topic) .*")).forEach(wait -> {
            assertThat(wait.path("duration").asLong()).as("duration of %s", describe(wait)).isBetween(0L, PATIENCE.toNanos() / 1_000);
            assertThat(wait.path("kind").asString()).isIn("PRODUCER", "CONSUMER");
        });
    }

    private static String describe(JsonNode span) {
        return span.path("localEndpoint").path("serviceName").asString() + " " + span.path("name").asString();
    }

    private static Optional<JsonNode> trace(String traceId) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(zipkin.resolve("/api/v2/trace/" + traceId))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(Api.JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("Zipkin did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
