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

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system as it runs in production: three service processes on real Kafka, the registry and
 * PostgreSQL. A few hundred preorders from both entry points reach DELIVERY_SCHEDULED, the three services'
 * ETA projections agree on every final date, an outside Confluent-wire-format consumer reads every event,
 * and a service killed with SIGKILL mid-run loses and duplicates nothing.
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

        system.kill("production");
        placeThroughRest(run, 100, 150, preorderIds);
        placeThroughTheApp(run, 100, 150, appCustomers);
        system.restart("production");

        system.kill("delivery");
        system.restart("delivery");

        PreorderAudit.Result audit = new PreorderAudit(system, stack.kafkaClientSettings(KafkaPrincipal.ADMIN), stack.registryConfluentApiUrl())
                .audit(preorderIds, appCustomers);
        assertThat(audit.preorders()).isEqualTo(300);
        assertThat(audit.problems()).isEmpty();
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
