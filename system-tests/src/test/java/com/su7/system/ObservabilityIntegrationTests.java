package com.su7.system;

import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import com.su7.system.Api.Caller;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What ops see of the running system: the three service processes on the fault suite's own stack (started once per
 * test JVM, and there to be broken). Every metric an alert rule or a dashboard panel reads is exported by a service,
 * so a renamed metric cannot silently break an alert; and health tells the truth while Kafka and the registry are
 * away: the instances stay ready (they still take preorders, into their outboxes) and ops, only ops, see what is DOWN.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIntegrationTests {

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private static LocalStack stack;
    private static RunningSystem system;

    @BeforeAll
    static void startTheSystem() {
        FaultSystem faults = FaultSystem.shared();
        stack = faults.stack();
        system = faults.system();
    }

    @Test
    @Order(1)
    void everyMetricTheAlertRulesAndDashboardsReadIsExportedByAService() {
        // Meters that appear with their first event: placements, builds, schedules, ETA changes, event ages, a dead letter.
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            place(run, i);
        }
        new RecordInjector(stack.kafkaClientSettings(KafkaPrincipal.ADMIN))
                .inject(Topics.UNIT_BUILT, Map.of("not-an-event", "not an event".getBytes(StandardCharsets.UTF_8)));
        List<Monitoring.Query> queries = new ArrayList<>(Monitoring.ruleQueries());
        queries.addAll(Monitoring.panelQueries());
        Set<String> notOfTheServices = new HashSet<>(Monitoring.recorded());
        notOfTheServices.addAll(Monitoring.PROMETHEUS_OWN);

        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Set<String> exported = exported();
            Map<String, Set<String>> missing = new TreeMap<>();
            for (Monitoring.Query query : queries) {
                for (String metric : query.metricNames()) {
                    if (!exported.contains(metric) && !notOfTheServices.contains(metric)) {
                        missing.computeIfAbsent(metric, name -> new TreeSet<>()).add(query.where());
                    }
                }
            }
            assertThat(missing).as("metrics a rule or a panel reads that no service exports (metric=where it is read)").isEmpty();
        });
    }

    @Test
    @Order(2)
    void readinessStaysUpWhileKafkaAndTheRegistryAreAwayAndOnlyOpsSeeThemDown() {
        // Who sees what does not depend on the outage (and asking is quick before it).
        for (String service : RunningSystem.SERVICES) {
            for (Caller caller : List.of(Caller.ANONYMOUS, Caller.APP)) {
                HttpResponse<String> seen = Api.get(uri(service, "/actuator/health"), caller);
                assertThat(Api.JSON.readTree(seen.body()).path("status").asString()).as(seen.body()).isNotBlank();
                assertThat(Api.JSON.readTree(seen.body()).has("components")).as("%s sees %s's components: %s", caller, service,
                        seen.body()).isFalse();
            }
        }

        String placedMeanwhile;
        stack.stopRegistry();
        stack.killKafka();
        try {
            for (String service : RunningSystem.SERVICES) {
                URI health = uri(service, "/actuator/health");
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    HttpResponse<String> asOps = Api.get(health, Caller.OPS);
                    JsonNode components = Api.JSON.readTree(asOps.body()).path("components");
                    assertThat(components.path("kafka").path("status").asString()).as("Kafka in %s's health", service).isEqualTo("DOWN");
                    assertThat(components.path("schemaRegistry").path("status").asString()).as("the registry in %s's health", service)
                            .isEqualTo("DOWN");
                    assertThat(asOps.statusCode()).isEqualTo(503);
                });

                HttpResponse<String> readiness = Api.get(uri(service, "/actuator/health/readiness"), Caller.ANONYMOUS);
                assertThat(readiness.statusCode()).as("%s's readiness: %s", service, readiness.body()).isEqualTo(200);
                assertThat(Api.JSON.readTree(readiness.body()).path("status").asString()).isEqualTo("UP");
                JsonNode readinessAsOps = Api.JSON.readTree(Api.get(uri(service, "/actuator/health/readiness"), Caller.OPS).body());
                assertThat(readinessAsOps.path("components").propertyNames()).as("what %s's readiness holds", service)
                        .containsExactlyInAnyOrder("db", "readinessState");
            }
            // Why it must stay ready: it still takes preorders.
            placedMeanwhile = place(UUID.randomUUID().toString().substring(0, 8), 0);
        } finally {
            CompletableFuture<Void> kafka = CompletableFuture.runAsync(stack::restartKafka);
            stack.startRegistry();
            kafka.join();
        }

        for (String service : RunningSystem.SERVICES) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonNode components = Api.JSON.readTree(Api.get(uri(service, "/actuator/health"), Caller.OPS).body()).path("components");
                assertThat(components.path("kafka").path("status").asString()).as("Kafka in %s's health", service).isEqualTo("UP");
                assertThat(components.path("schemaRegistry").path("status").asString()).isEqualTo("UP");
            });
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(Api.get(uri("production", "/api/production/preorders/" + placedMeanwhile)))
                        .as("the preorder placed while Kafka was away, in production-service").isPresent());
    }

    /** Places a preorder through REST as the car app's backend; returns its id. */
    private static String place(String run, int i) {
        HttpResponse<String> response = Api.post(uri("orders", "/api/preorders"), "observability-%s-%d".formatted(run, i),
                PreorderLoad.request("observability-" + run, i, "WEB"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Api.JSON.readTree(response.body()).path("id").asString();
    }

    /** The series the services expose, named as Prometheus stores them (a histogram's _bucket, _count and _sum). */
    private static Set<String> exported() {
        Set<String> names = new HashSet<>();
        for (String service : RunningSystem.SERVICES) {
            Api.getText(uri(service, "/actuator/prometheus")).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("[{ ]", 2)[0])
                    .forEach(names::add);
        }
        return names;
    }

    private static URI uri(String service, String path) {
        return system.service(service).baseUri().resolve(path);
    }
}
