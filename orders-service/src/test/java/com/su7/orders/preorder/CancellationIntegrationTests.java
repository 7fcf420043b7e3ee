package com.su7.orders.preorder;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.events.CancellationReason;
import com.su7.events.EtaChangeCause;
import com.su7.events.EtaChanged;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderStatus;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.orders.Http;
import com.su7.orders.OrdersIntegrationTest;
import com.su7.orders.eta.EtaProjection;
import com.su7.orders.eta.EtaRefresher;
import com.su7.testsupport.KafkaProbe;
import com.su7.testsupport.SharedLocalStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.su7.orders.TestClockConfiguration.NOW;
import static com.su7.orders.eta.TestEvents.scheduled;
import static com.su7.orders.eta.TestEvents.unitBuilt;
import static com.su7.orders.eta.TestEvents.vinOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/preorders/{id}/cancellation}: within the refund window a preorder is cancelled once (the same call
 * again answers the same), PreorderCancelled goes out, the preorder shows CANCELLED and the customers behind move up;
 * what comes for it afterwards changes nothing.
 */
@OrdersIntegrationTest
class CancellationIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    AvroEventDecoder avro;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    EtaProjection projection;
    @Autowired
    EtaRefresher refresher;
    @Autowired
    FactoryCalendar calendar;
    @Autowired
    Clock clock;

    Http http;
    KafkaProbe probe = new KafkaProbe(SharedLocalStack.get());

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void aCancelledPreorderShowsCancelledOnceAndTheCustomersBehindMoveUp() {
        String cancelled = http.placePreorder("SU7", "Beijing");
        String behind = http.placePreorder("SU7_MAX", "Beijing");
        refresher.refresh();
        JsonNode before = http.preorder(behind);
        long placesAheadBefore = placesAhead(behind);

        Http.Response first = cancel(cancelled, "FINANCING");
        Http.Response again = cancel(cancelled, "CHANGED_MIND");

        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(first.body().get("reason").asString()).isEqualTo("FINANCING");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).as("the same outcome, the first reason").isEqualTo(first.body());
        JsonNode view = http.preorder(cancelled);
        assertThat(view.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(view.get("cancellationReason").asString()).isEqualTo("FINANCING");
        assertThat(view.has("eta")).as("a cancelled preorder has no ETA").isFalse();

        List<PreorderCancelled> events = await().atMost(PATIENCE).until(() -> cancellations(cancelled), found -> !found.isEmpty());
        assertThat(events).hasSize(1);
        PreorderCancelled event = events.getFirst();
        assertThat(event.getEventId()).isEqualTo(PreorderCancellations.eventIdOf(PreorderId.parse(cancelled)).toString());
        assertThat(event.getCustomerId()).isEqualTo(view.get("customerId").asString());
        assertThat(event.getVariant()).isEqualTo(Variant.SU7);
        assertThat(event.getReason()).isEqualTo(CancellationReason.FINANCING);
        EtaChanged shown = await().atMost(PATIENCE).ignoreExceptions().until(() -> etaChanges(cancelled).getLast(),
                change -> change.getCause() == EtaChangeCause.CANCELLED);
        assertThat(shown.getStatus()).isEqualTo(PreorderStatus.CANCELLED);
        assertThat(shown.getDirection()).isEqualTo(EtaDirection.SAME_DATES);

        // The customer behind moved up a place; at a fast observed rate (other tests' builds) that may not move a date,
        // so the range shown is set a day later, as if shown from one place further back: the re-estimate brings it earlier
        // and names the cancellation.
        assertThat(placesAhead(behind)).isEqualTo(placesAheadBefore - 1);
        jdbc.update("update preorder_eta set eta_latest = eta_latest + 1 where preorder_id = ?::uuid", behind);
        refresher.markCancellationsAhead();
        refresher.refresh();
        JsonNode after = http.preorder(behind);
        assertThat(after.get("eta").get("latest").asString()).isLessThanOrEqualTo(before.get("eta").get("latest").asString());
        EtaChanged moved = await().atMost(PATIENCE).ignoreExceptions().until(() -> etaChanges(behind).getLast(),
                change -> change.getCause() == EtaChangeCause.CANCELLATION_AHEAD);
        assertThat(moved.getDirection()).isEqualTo(EtaDirection.EARLIER);
        assertThat(moved.getLatest().toString()).isEqualTo(after.get("eta").get("latest").asString());
    }

    @Test
    void aUnitOrScheduleThatComesForACancelledPreorderChangesNothing() throws Exception {
        String id = http.placePreorder("SU7_PRO", "Wuhan");
        assertThat(cancel(id, "OTHER").status()).isEqualTo(200);
        int revisions = http.preorder(id).get("etaHistory").size();

        kafka.send(Topics.UNIT_BUILT, id, unitBuilt(id, Variant.SU7_PRO, NOW.minus(Duration.ofHours(1)))).get();
        kafka.send(Topics.DELIVERY_SCHEDULED, id, scheduled(id, 1, "2026-05-14")).get();
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject(
                "select count(*) from delivery_schedule where preorder_id = ?::uuid", Long.class, id) == 1);

        JsonNode view = http.preorder(id);
        assertThat(view.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(view.has("vin")).isFalse();
        assertThat(view.get("etaHistory").size()).isEqualTo(revisions);
    }

    @Test
    void aUnitReassignedFromACancelledPreorderBuildsTheNextOneButIsNoNewBuild() throws Exception {
        String cancelled = http.placePreorder("SU7_MAX", "Shanghai");
        String next = http.placePreorder("SU7_MAX", "Shanghai");
        Instant builtAt = NOW.minus(Duration.ofHours(3));
        kafka.send(Topics.UNIT_BUILT, cancelled, unitBuilt(cancelled, Variant.SU7_MAX, builtAt)).get();
        await().atMost(PATIENCE).until(() -> http.preorder(cancelled).get("status").asString().equals("BUILT"));
        assertThat(cancel(cancelled, "CHANGED_MIND").status()).isEqualTo(200);

        UnitBuilt reassigned = UnitBuilt.newBuilder(unitBuilt(cancelled, Variant.SU7_MAX, builtAt))
                .setEventId(UUID.randomUUID().toString()).setPreorderId(next).setReassignedFrom(cancelled).build();
        kafka.send(Topics.UNIT_BUILT, next, reassigned).get();

        await().atMost(PATIENCE).until(() -> http.preorder(next).get("status").asString().equals("BUILT"));
        assertThat(http.preorder(next).get("vin").asString()).isEqualTo(vinOf(cancelled));
        assertThat(http.preorder(cancelled).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForObject("select count(*) from unit_built where vin = ? and reassigned_from is null", Long.class,
                vinOf(cancelled))).as("the build rate counts the unit once").isEqualTo(1);
    }

    @Test
    void aCancellationHeldBeforeItsPreorderIsPlacedIsAppliedWhenItIs() {
        PreorderId id = PreorderId.next();
        transactions.executeWithoutResult(status -> projection.cancelledAll(Map.of(id, NOW)));
        transactions.executeWithoutResult(status -> {
            jdbc.update("""
                    insert into preorder (id, idempotency_key, request_hash, customer_id, variant, exterior_color, delivery_city,
                                          deposit, channel, entry_point, placed_at)
                    values (?, ?, 'hash', 'customer-held', 'SU7', 'Pearl White', 'Beijing', 5000, 'APP', 'REST', ?)""",
                    id.value(), id.toString(), java.sql.Timestamp.from(NOW));
            projection.placedAll(List.of(new EtaProjection.NewPreorder(id, Variant.SU7, "Beijing", NOW)));
        });

        assertThat(jdbc.queryForObject("select status from preorder_eta where preorder_id = ?", String.class, id.value()))
                .isEqualTo("CANCELLED");
        assertThat(jdbc.queryForList("select cause from eta_history where preorder_id = ? order by revision", String.class, id.value()))
                .containsExactly("PLACED", "CANCELLED");
    }

    @Test
    void refusesWhatCannotBeCancelled() throws Exception {
        Http.Response unknown = cancel(UUID.randomUUID().toString(), "OTHER");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(cancel("not-a-preorder", "OTHER").status()).isEqualTo(404);

        String id = http.placePreorder("SU7", "Tianjin");
        Http.Response noReason = http.post("/api/preorders/%s/cancellation".formatted(id), null, Map.of());
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.body().toString()).contains("reason");
        assertThat(cancel(id, "BORED").status()).isEqualTo(400);

        // Accepted eight factory days ago: the seven-day window has closed.
        String old = http.placePreorder("SU7", "Tianjin");
        jdbc.update("update preorder set accepted_at = ? where id = ?::uuid",
                java.sql.Timestamp.from(NOW.minus(calendar.dayLength().multipliedBy(8))), old);
        Http.Response late = cancel(old, "OTHER");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body().get("type").asString()).endsWith("refund-window-closed");
        assertThat(late.body().get("refundableUntil")).isNotNull();

        // Handed over today.
        String delivered = http.placePreorder("SU7", "Tianjin");
        kafka.send(Topics.UNIT_BUILT, delivered, unitBuilt(delivered, Variant.SU7, NOW.minus(calendar.dayLength().multipliedBy(2)))).get();
        kafka.send(Topics.DELIVERY_SCHEDULED, delivered, scheduled(delivered, 1, calendar.today(clock).toString())).get();
        await().atMost(PATIENCE).until(() -> http.preorder(delivered).get("status").asString().equals("DELIVERY_SCHEDULED"));
        Http.Response handedOver = cancel(delivered, "OTHER");
        assertThat(handedOver.status()).isEqualTo(409);
        assertThat(handedOver.body().get("type").asString()).endsWith("already-delivered");

        assertThat(cancellations(id)).isEmpty();
        assertThat(http.preorder(old).get("status").asString()).isEqualTo("PLACED");
    }

    /** Unbuilt preorders ahead of this one in the queue. */
    private long placesAhead(String id) {
        return jdbc.queryForObject("""
                select count(*) from preorder_eta a, preorder_eta b
                where b.preorder_id = ?::uuid and a.status = 'PLACED' and (a.placed_at, a.preorder_id) < (b.placed_at, b.preorder_id)""",
                Long.class, id);
    }

    private Http.Response cancel(String id, String reason) {
        return http.post("/api/preorders/%s/cancellation".formatted(id), null, Map.of("reason", reason));
    }

    private List<PreorderCancelled> cancellations(String id) {
        return probe.recordsWithKey(Topics.PREORDER_CANCELLED, id).stream()
                .map(record -> avro.of(PreorderCancelled.class).decode(record)).toList();
    }

    private List<EtaChanged> etaChanges(String id) {
        return probe.recordsWithKey(Topics.ETA_CHANGED, id).stream().map(record -> avro.of(EtaChanged.class).decode(record)).toList();
    }
}
