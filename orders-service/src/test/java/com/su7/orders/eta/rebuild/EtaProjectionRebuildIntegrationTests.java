package com.su7.orders.eta.rebuild;

import com.su7.contract.Topics;
import com.su7.events.Variant;
import com.su7.localstack.HttpClientCredentials;
import com.su7.orders.Http;
import com.su7.orders.OrdersIntegrationTest;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.su7.orders.TestClockConfiguration.NOW;
import static com.su7.orders.eta.TestEvents.scheduled;
import static com.su7.orders.eta.TestEvents.unitBuilt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ops command that rebuilds the ETA projection from the topics and switches to it. */
@OrdersIntegrationTest
class EtaProjectionRebuildIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Instant BUILT_AT = NOW.minus(Duration.ofHours(1));
    private static final String REBUILDS = "/api/orders/ops/eta-projection/rebuilds";

    @LocalServerPort
    int port;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    JdbcTemplate jdbc;

    Http http;
    Http ops;

    @BeforeEach
    void client() {
        http = new Http(port);
        ops = new Http(port, HttpClientCredentials.OPS);
    }

    @Test
    void theRebuiltProjectionHoldsWhatTheTopicsSayAndReplacesTheLiveTables() throws Exception {
        String placed = place("SU7", "Chengdu");
        String built = place("SU7_PRO", "Wuhan");
        String scheduled = place("SU7_MAX", "Shenzhen");
        kafka.send(Topics.UNIT_BUILT, built, unitBuilt(built, Variant.SU7_PRO, BUILT_AT)).get();
        kafka.send(Topics.UNIT_BUILT, scheduled, unitBuilt(scheduled, Variant.SU7_MAX, BUILT_AT)).get();
        kafka.send(Topics.DELIVERY_SCHEDULED, scheduled, scheduled(scheduled, 1, "2026-05-20")).get();
        kafka.send(Topics.DELIVERY_SCHEDULED, scheduled, scheduled(scheduled, 2, "2026-05-21")).get();
        awaitStatus(built, "BUILT");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(preorder(scheduled).path("eta").path("date").asString()).isEqualTo("2026-05-21"));
        // Every PreorderPlaced is on the topic before the rebuild starts (the outbox is empty).
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject("select count(*) from outbox_message", Long.class) == 0);
        Map<String, JsonNode> before = new LinkedHashMap<>();
        for (String id : List.of(placed, built, scheduled)) {
            before.put(id, preorder(id));
        }

        JsonNode finished = rebuild();

        assertThat(finished.path("phase").asString()).as(finished.toString()).isEqualTo("COMPLETED");
        assertThat(finished.path("recordsReplayed").asLong()).isGreaterThanOrEqualTo(7);
        assertThat(finished.path("comparison").path("rebuiltPreorders").asLong()).isPositive();
        for (String id : before.keySet()) {
            JsonNode after = preorder(id);
            assertThat(after.path("status")).as("status of %s", id).isEqualTo(before.get(id).path("status"));
            assertThat(after.path("vin")).as("vin of %s", id).isEqualTo(before.get(id).path("vin"));
            assertThat(after.path("etaHistory").size()).as("history of %s is kept", id)
                    .isGreaterThanOrEqualTo(before.get(id).path("etaHistory").size());
        }
        assertThat(preorder(scheduled).path("eta").path("date").asString()).isEqualTo("2026-05-21");
        assertThat(preorder(built).path("eta")).isEqualTo(before.get(built).path("eta"));

        // The live tables were replaced by the copies, which kept the index names later migrations may use.
        assertThat(jdbc.queryForObject("select count(*) from pg_indexes where schemaname = current_schema() and indexname = 'preorder_eta_unbuilt'",
                Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForList("select tablename from pg_tables where schemaname = 'eta_retired'", String.class))
                .containsExactlyInAnyOrderElementsOf(ProjectionTables.SWAPPED);
        assertThat(jdbc.queryForObject("select count(*) from pg_namespace where nspname = 'eta_rebuild'", Long.class)).isZero();

        // The service goes on with the new tables: events and placements after the switch land in them.
        kafka.send(Topics.UNIT_BUILT, placed, unitBuilt(placed, Variant.SU7, BUILT_AT)).get();
        awaitStatus(placed, "BUILT");
        assertThat(preorder(place("SU7", "Beijing")).path("status").asString()).isEqualTo("PLACED");
        assertThat(ops.get(REBUILDS).body().findValuesAsString("id")).contains(finished.path("id").asString());

        // A rebuild released what it held: the next one runs, and replaces the tables the first one retired.
        JsonNode again = rebuild();
        assertThat(again.path("phase").asString()).as(again.toString()).isEqualTo("COMPLETED");
        assertThat(preorder(placed).path("status").asString()).isEqualTo("BUILT");
    }

    private JsonNode rebuild() {
        Http.Response started = ops.post(REBUILDS, null, "");
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        String location = started.headers().getLocation().toString();
        try {
            return await().atMost(PATIENCE).until(() -> ops.get(location).body(),
                    status -> List.of("COMPLETED", "FAILED").contains(status.path("phase").asString()));
        } catch (ConditionTimeoutException stuck) {
            // Once in a CI run a second rebuild stayed in REPLAYING with nothing replayed: say where every thread was.
            Thread.getAllStackTraces().forEach((thread, stack) -> System.err.printf("%s (%s)%n    at %s%n", thread.getName(),
                    thread.getState(), String.join("\n    at ", Arrays.stream(stack).map(String::valueOf).toList())));
            throw stuck;
        }
    }

    @Test
    void anUnknownRebuildIsAProblem() {
        Http.Response unknown = ops.get(REBUILDS + "/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    private String place(String variant, String city) {
        return http.placePreorder(variant, city);
    }

    private JsonNode preorder(String id) {
        return http.preorder(id);
    }

    private void awaitStatus(String id, String status) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(preorder(id).path("status").asString()).isEqualTo(status));
    }
}
