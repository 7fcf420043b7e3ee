package com.su7.system;

import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import com.su7.testsupport.SharedLocalStack;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system as it runs in production: three service processes on real Kafka, the registry and
 * PostgreSQL. A few hundred preorders from both entry points reach DELIVERY_SCHEDULED, the three services'
 * ETA projections agree on every final date, an outside Confluent-wire-format consumer reads every event (and each
 * preorder's EtaChanged revisions 1..n, the last one what orders shows), and a service killed with SIGKILL mid-run
 * loses and duplicates nothing.
 */
class EndToEndIntegrationTests {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    private static LocalStack stack;
    private static RunningSystem system;

    @BeforeAll
    static void startTheSystem() {
        stack = SharedLocalStack.get();
        system = RunningSystem.start(stack, Duration.ofSeconds(1), Map.of());
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void preordersFromBothEntryPointsAreScheduledOnceEverywhereEvenWhenServicesAreKilledMidRun() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> preorderIds = new ArrayList<>();
        List<String> appCustomers = new ArrayList<>();

        placeThroughRest(run, 0, 100, preorderIds);
        placeThroughTheApp(run, 0, 100, appCustomers);
        awaitSomeBuilt(preorderIds);
        // Customers cancel, some whose cars are built already (those cars go to the next customers of their variants).
        List<String> cancelled = cancel(preorderIds.subList(80, 100).stream().filter(id -> preorderIds.indexOf(id) % 2 == 0).toList());

        system.kill("production");
        placeThroughRest(run, 100, 150, preorderIds);
        placeThroughTheApp(run, 100, 150, appCustomers);
        system.restart("production");

        system.kill("delivery");
        system.restart("delivery");

        PreorderAudit.Result audit = new PreorderAudit(system, stack.kafkaClientSettings(KafkaPrincipal.ADMIN), stack.registryConfluentApiUrl())
                .audit(preorderIds, appCustomers, cancelled, Instant.MIN);
        assertThat(audit.preorders()).isEqualTo(300);
        assertThat(audit.problems()).isEmpty();
        assertThat(audit.cancelled()).isEqualTo(cancelled.size()).isPositive();
        assertEtaChangesEndInWhatOrdersShows(preorderIds);
        assertCancellationsReadFromOutside(cancelled);
    }

    @Test
    void ordersServiceRebuildsItsEtaProjectionFromTheTopicsWhileItKeepsServing() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> preorderIds = new ArrayList<>();
        List<String> appCustomers = new ArrayList<>();
        placeThroughRest(run, 0, 60, preorderIds);
        placeThroughTheApp(run, 0, 40, appCustomers);
        preorderIds.addAll(idsOf(appCustomers));
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(preorderIds).allSatisfy(id -> assertThat(ordersView(id).path("status").asString())
                        .as("orders status of %s", id).isEqualTo("DELIVERY_SCHEDULED")));
        Map<String, List<String>> before = new HashMap<>();
        preorderIds.forEach(id -> before.put(id, settledState(ordersView(id))));

        URI rebuilds = system.service("orders").baseUri().resolve("/api/orders/ops/eta-projection/rebuilds");
        HttpResponse<String> started = Api.post(rebuilds);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        URI rebuild = system.service("orders").baseUri().resolve(started.headers().firstValue("Location").orElseThrow());
        assertThat(Api.post(rebuilds).statusCode()).as("a second rebuild while one runs").isEqualTo(409);

        // Customers keep placing and reading while it runs.
        List<String> placedDuringTheRebuild = new ArrayList<>();
        JsonNode status = Api.get(rebuild).orElseThrow();
        for (int i = 0; !finished(status); i++) {
            assertThat(i).as("requests served during the rebuild (it should have ended by now)").isLessThan(2_000);
            placeThroughRest(run, 1000 + i, 1001 + i, placedDuringTheRebuild);
            assertThat(ordersView(preorderIds.get(i % preorderIds.size())).path("status").asString()).isEqualTo("DELIVERY_SCHEDULED");
            status = Api.get(rebuild).orElseThrow();
        }

        assertThat(status.path("phase").asString()).as(status.toString()).isEqualTo("COMPLETED");
        JsonNode comparison = status.path("comparison");
        assertThat(comparison.path("preordersDiffering").asLong()).as(comparison.toString()).isZero();
        assertThat(comparison.path("unitsBuiltDiffering").asLong()).as(comparison.toString()).isZero();
        assertThat(comparison.path("schedulesDiffering").asLong()).as(comparison.toString()).isZero();
        assertThat(comparison.path("rebuiltPreorders").asLong()).isEqualTo(comparison.path("livePreorders").asLong())
                .isGreaterThanOrEqualTo(preorderIds.size());
        assertThat(placedDuringTheRebuild).isNotEmpty();
        for (String id : preorderIds) {
            assertThat(settledState(ordersView(id))).as("%s after the rebuild", id).isEqualTo(before.get(id));
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(placedDuringTheRebuild).allSatisfy(id -> assertThat(ordersView(id).path("status").asString())
                        .as("orders status of %s, placed during the rebuild", id).isEqualTo("DELIVERY_SCHEDULED")));
    }

    /**
     * As a notification service outside the project reads {@code orders.eta-changed} (the wire format and the
     * registry's Confluent API only): deduplicated by eventId, each preorder's revisions are 1..n, each once, and the
     * last one is what orders-service shows.
     */
    private static void assertEtaChangesEndInWhatOrdersShows(List<String> preorderIds) {
        Set<String> wanted = Set.copyOf(preorderIds);
        Topic topic = new Topic(stack.kafkaClientSettings(KafkaPrincipal.ADMIN), stack.registryConfluentApiUrl());
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, Map<String, GenericRecord>> changes = new HashMap<>();
            topic.readAll(Topics.ETA_CHANGED, record -> wanted.contains(record.key())).forEach(decoded -> changes
                    .computeIfAbsent(decoded.record().key(), key -> new LinkedHashMap<>())
                    .putIfAbsent(decoded.event().get("eventId").toString(), decoded.event()));
            assertThat(changes.keySet()).as("preorders with EtaChanged").containsExactlyInAnyOrderElementsOf(wanted);
            changes.forEach((id, events) -> {
                List<Integer> revisions = events.values().stream().map(event -> (Integer) event.get("revision")).sorted().toList();
                assertThat(revisions).as("revisions of %s", id).isEqualTo(IntStream.rangeClosed(1, revisions.size()).boxed().toList());
                GenericRecord last = events.values().stream().filter(event -> event.get("revision").equals(revisions.getLast()))
                        .findFirst().orElseThrow();
                JsonNode view = ordersView(id);
                assertThat(last.get("preorderId").toString()).isEqualTo(id);
                assertThat(last.get("status").toString()).as("status of %s", id).isEqualTo(view.path("status").asString());
                if (!"CANCELLED".equals(view.path("status").asString())) {
                    assertThat(Topic.date(last, "latest")).as("date of %s", id).isEqualTo(LocalDate.parse(view.path("eta").path("date").asString()));
                }
            });
        });
    }

    /** As a consumer outside the project reads {@code orders.preorder-cancelled}: the wire format and the Confluent API. */
    private static void assertCancellationsReadFromOutside(List<String> cancelled) {
        Topic topic = new Topic(stack.kafkaClientSettings(KafkaPrincipal.ADMIN), stack.registryConfluentApiUrl());
        Map<String, GenericRecord> events = new HashMap<>();
        topic.readAll(Topics.PREORDER_CANCELLED, record -> cancelled.contains(record.key()))
                .forEach(decoded -> events.put(decoded.record().key(), decoded.event()));
        assertThat(events.keySet()).containsExactlyInAnyOrderElementsOf(cancelled);
        events.forEach((id, event) -> {
            assertThat(event.get("preorderId").toString()).isEqualTo(id);
            assertThat(event.get("reason").toString()).isEqualTo("CHANGED_MIND");
            assertThat(event.get("customerId").toString()).isEqualTo(ordersView(id).path("customerId").asString());
        });
    }

    /** Cancels the preorders through the API as their customers; returns those cancelled (not yet past their window). */
    private static List<String> cancel(List<String> preorderIds) {
        List<String> cancelled = new ArrayList<>();
        for (String id : preorderIds) {
            HttpResponse<String> response = Api.post(system.service("orders").baseUri().resolve("/api/preorders/%s/cancellation".formatted(id)),
                    "cancel-" + id, Api.JSON.createObjectNode().put("reason", "CHANGED_MIND"));
            assertThat(response.statusCode()).as(response.body()).isIn(200, 409);
            if (response.statusCode() == 200) {
                cancelled.add(id);
            }
        }
        return cancelled;
    }

    private static boolean finished(JsonNode rebuild) {
        return List.of("COMPLETED", "REFUSED", "FAILED").contains(rebuild.path("phase").asString());
    }

    private static List<String> settledState(JsonNode view) {
        return List.of(view.path("status").asString(), view.path("vin").asString(), view.path("deliveryCenter").asString(),
                view.path("eta").toString());
    }

    private static void placeThroughRest(String run, int from, int to, List<String> preorderIds) {
        URI preorders = system.service("orders").baseUri().resolve("/api/preorders");
        for (int i = from; i < to; i++) {
            HttpResponse<String> response = Api.post(preorders, "e2e-%s-%d".formatted(run, i), PreorderLoad.request("e2e-" + run, i, "WEB"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            preorderIds.add(Api.JSON.readTree(response.body()).path("id").asString());
        }
    }

    private static void placeThroughTheApp(String run, int from, int to, List<String> customers) {
        // As the app's backend, whose Kafka user may write nothing but preorder requests.
        Map<String, Object> settings = new HashMap<>(stack.kafkaClientSettings(KafkaPrincipal.APP.name()));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> app = new KafkaProducer<>(settings)) {
            for (int i = from; i < to; i++) {
                String requestId = UUID.randomUUID().toString();
                ObjectNode request = PreorderLoad.request("e2e-" + run, 1000 + i, "APP").put("requestId", requestId);
                app.send(new ProducerRecord<>(Topics.PREORDER_REQUESTS, requestId, Api.JSON.writeValueAsString(request)));
                customers.add(request.path("customerId").asString());
            }
        }
    }

    private static void awaitSomeBuilt(List<String> preorderIds) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() ->
                preorderIds.stream().anyMatch(id -> !"PLACED".equals(ordersView(id).path("status").asString())));
    }

    private static List<String> idsOf(List<String> customers) {
        Map<String, String> ids = new HashMap<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String customer : customers) {
                ids.computeIfAbsent(customer, c -> Api.get(system.service("orders").baseUri().resolve("/api/preorders?customerId=" + c))
                        .map(page -> page.path("items"))
                        .filter(items -> items.size() == 1)
                        .map(items -> items.get(0).path("id").asString())
                        .orElse(null));
            }
            assertThat(ids).as("app preorders visible in orders-service").hasSize(customers.size());
        });
        return customers.stream().map(ids::get).toList();
    }

    private static JsonNode ordersView(String id) {
        return view("orders", "/api/preorders/" + id);
    }

    private static JsonNode view(String service, String path) {
        Optional<JsonNode> view = Api.get(system.service(service).baseUri().resolve(path));
        assertThat(view).as("%s %s", service, path).isPresent();
        return view.get();
    }

}
