package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.events.DeliveryScheduled;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.messaging.count.KeptCounts;
import com.su7.orders.Http;
import com.su7.orders.OrdersIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static com.su7.orders.TestClockConfiguration.NOW;
import static com.su7.orders.eta.TestEvents.scheduled;
import static com.su7.orders.eta.TestEvents.unitBuilt;
import static com.su7.orders.eta.TestEvents.vinOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The customer's ETA, moved only by UnitBuilt and DeliveryScheduled from Kafka. */
@OrdersIntegrationTest
class EtaProjectionIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final LocalDate TODAY = LocalDate.parse("2026-05-10");

    @LocalServerPort
    int port;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    EtaProjection projection;
    @Autowired
    EtaQueries queries;
    @Autowired
    EtaHistory history;
    @Autowired
    UnbuiltQueue queue;
    @Autowired
    FactoryCalendar calendar;
    @Autowired
    PreorderStatusCounts statusCounts;
    @Autowired
    KeptCounts keptCounts;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void theFixedTestClockIsOnTheExpectedFactoryDay() {
        assertThat(calendar.dateOf(NOW)).isEqualTo(TODAY);
    }

    @Test
    void unitBuiltAndDeliveryScheduledMoveAPreorderThroughItsStatuses() throws Exception {
        String id = place("SU7_PRO", "Shanghai");
        assertThat(preorder(id).get("status").asString()).isEqualTo("PLACED");

        send(Topics.UNIT_BUILT, id, unitBuilt(id, Variant.SU7_PRO, NOW.minus(Duration.ofHours(2))));
        JsonNode built = awaitStatus(id, "BUILT");
        assertThat(built.get("vin").asString()).isEqualTo(vinOf(id));
        // Built on 2026-05-10 (Beijing), two days to Shanghai: an exact date.
        assertThat(built.get("eta").get("date").asString()).isEqualTo("2026-05-12");
        assertThat(built.get("eta").has("earliest")).isFalse();

        send(Topics.DELIVERY_SCHEDULED, id, scheduled(id, 1, "2026-05-14"));
        JsonNode scheduled = awaitStatus(id, "DELIVERY_SCHEDULED");
        assertThat(scheduled.get("eta").get("date").asString()).isEqualTo("2026-05-14");
        assertThat(scheduled.get("deliveryCenter").asString()).isEqualTo("Shanghai Hongqiao");

        send(Topics.DELIVERY_SCHEDULED, id, scheduled(id, 2, "2026-05-13"));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(preorder(id).get("eta").get("date").asString()).isEqualTo("2026-05-13"));

        assertThat(causes(preorder(id))).containsExactly("PLACED", "BUILT", "SCHEDULED", "RESCHEDULED");
        JsonNode rescheduled = preorder(id).get("etaHistory").get(3);
        assertThat(rescheduled.get("oldEarliest").asString()).isEqualTo("2026-05-14");
        assertThat(rescheduled.get("newEarliest").asString()).isEqualTo("2026-05-13");
    }

    @Test
    void duplicatesAndALowerRevisionAfterAHigherOneChangeNothing() throws Exception {
        String id = place("SU7_PRO", "Beijing");
        UnitBuilt built = unitBuilt(id, Variant.SU7_PRO, NOW.minus(Duration.ofHours(3)));
        DeliveryScheduled revision2 = scheduled(id, 2, "2026-05-20");
        DeliveryScheduled revision1 = scheduled(id, 1, "2026-05-15");
        send(Topics.UNIT_BUILT, id, built);
        // Two topics, two listeners: no order between them unless the test waits.
        awaitStatus(id, "BUILT");
        send(Topics.DELIVERY_SCHEDULED, id, revision2);
        send(Topics.DELIVERY_SCHEDULED, id, revision1);
        awaitProcessed("orders.delivery-scheduled", revision1.getEventId());
        JsonNode settled = awaitStatus(id, "DELIVERY_SCHEDULED");
        assertThat(settled.get("eta").get("date").asString()).isEqualTo("2026-05-20");

        // The same events again, and a second UnitBuilt (another event id) for the same preorder.
        send(Topics.UNIT_BUILT, id, built);
        UnitBuilt builtAgain = unitBuilt(id, Variant.SU7_PRO, NOW.minus(Duration.ofHours(1)));
        send(Topics.UNIT_BUILT, id, builtAgain);
        send(Topics.DELIVERY_SCHEDULED, id, revision2);
        send(Topics.DELIVERY_SCHEDULED, id, revision1);
        DeliveryScheduled sameRevisionOtherDate = scheduled(id, 2, "2026-05-25");
        send(Topics.DELIVERY_SCHEDULED, id, sameRevisionOtherDate);
        awaitProcessed("orders.unit-built", builtAgain.getEventId());
        awaitProcessed("orders.delivery-scheduled", sameRevisionOtherDate.getEventId());

        JsonNode after = preorder(id);
        assertThat(after.get("status").asString()).isEqualTo("DELIVERY_SCHEDULED");
        assertThat(after.get("eta")).isEqualTo(settled.get("eta"));
        assertThat(after.get("etaHistory")).isEqualTo(settled.get("etaHistory"));
        assertThat(causes(after)).containsExactly("PLACED", "BUILT", "SCHEDULED");
    }

    @Test
    void aScheduleBeforeItsUnitBuiltStillEndsScheduledWithTheVin() throws Exception {
        String id = place("SU7", "Guangzhou");
        send(Topics.DELIVERY_SCHEDULED, id, scheduled(id, 1, "2026-05-18"));
        awaitStatus(id, "DELIVERY_SCHEDULED");
        UnitBuilt late = unitBuilt(id, Variant.SU7, NOW.minus(Duration.ofHours(5)));
        send(Topics.UNIT_BUILT, id, late);
        awaitProcessed("orders.unit-built", late.getEventId());

        JsonNode after = preorder(id);
        assertThat(after.get("status").asString()).isEqualTo("DELIVERY_SCHEDULED");
        assertThat(after.get("eta").get("date").asString()).isEqualTo("2026-05-18");
        assertThat(after.get("vin").asString()).isEqualTo(vinOf(id));
        assertThat(causes(after)).containsExactly("PLACED", "SCHEDULED");
    }

    @Test
    void eventsForAPreorderNotKnownYetAreHeldAndAppliedWhenItIsPlaced() throws Exception {
        UUID id = UUID.randomUUID();
        UnitBuilt built = unitBuilt(id.toString(), Variant.SU7, NOW.minus(Duration.ofHours(1)));
        DeliveryScheduled schedule = scheduled(id.toString(), 1, "2026-05-16");
        send(Topics.UNIT_BUILT, id.toString(), built);
        send(Topics.DELIVERY_SCHEDULED, id.toString(), schedule);
        awaitProcessed("orders.unit-built", built.getEventId());
        awaitProcessed("orders.delivery-scheduled", schedule.getEventId());
        assertThat(jdbc.queryForObject("select count(*) from unit_built where preorder_id = ?", Integer.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from delivery_schedule where preorder_id = ?", Integer.class, id)).isEqualTo(1);

        // The preorder appears (as after restoring its row from a backup): the held facts apply at once.
        PreorderId preorderId = new PreorderId(id);
        Eta eta = transactions.execute(status -> {
            jdbc.update("""
                    insert into preorder (id, idempotency_key, request_hash, customer_id, variant, exterior_color, delivery_city,
                                          deposit, channel, entry_point, placed_at)
                    values (?, ?, 'restored', 'customer-restored', 'SU7', 'Grey', 'Beijing', 5000, 'APP', 'REST', ?)""",
                    id, "restored-" + id, Timestamp.from(NOW));
            projection.placedAll(List.of(new EtaProjection.NewPreorder(preorderId, Variant.SU7, "Beijing", NOW)));
            return queries.states(List.of(preorderId)).get(preorderId).eta();
        });

        assertThat(eta).isEqualTo(Eta.on(LocalDate.parse("2026-05-16")));
        EtaState state = queries.states(List.of(preorderId)).get(preorderId);
        assertThat(state.status()).isEqualTo(ProjectionStatus.DELIVERY_SCHEDULED);
        assertThat(state.vin()).isEqualTo(vinOf(id.toString()));
        assertThat(history.of(List.of(preorderId)).get(preorderId)).extracting(EtaChange::cause)
                .containsExactly(EtaCause.PLACED, EtaCause.BUILT, EtaCause.SCHEDULED);
    }

    @Test
    void theEstimateMovesEarlierWhenTheObservedBuildRateRises() throws Exception {
        // The plant is assumed to build one unit a day (test configuration) until a factory day of builds is observed.
        for (int i = 0; i < 20; i++) {
            place("SU7_MAX", "Beijing");
        }
        String id = place("SU7_MAX", "Beijing");
        JsonNode before = preorder(id).get("eta");
        LocalDate earliestBefore = LocalDate.parse(before.get("earliest").asString());
        LocalDate latestBefore = LocalDate.parse(before.get("latest").asString());
        assertThat(latestBefore).isAfter(TODAY.plusDays(20));

        // The line speeds up: 400 units of every variant built over the last three factory days (for other customers'
        // preorders). One queue for all variants: every unit built brings this SU7 Max closer.
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String other = UUID.randomUUID().toString();
            Variant variant = Variant.values()[i % Variant.values().length];
            sent.add(kafka.send(Topics.UNIT_BUILT, other, unitBuilt(other, variant, NOW.minus(Duration.ofSeconds(648L * i + 60)))));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode eta = preorder(id).get("eta");
            assertThat(LocalDate.parse(eta.get("latest").asString())).isBefore(latestBefore);
            assertThat(LocalDate.parse(eta.get("earliest").asString())).isBefore(earliestBefore);
        });
        JsonNode after = preorder(id);
        assertThat(after.get("status").asString()).isEqualTo("PLACED");
        assertThat(LocalDate.parse(after.get("eta").get("latest").asString())).isBeforeOrEqualTo(TODAY.plusDays(3));
        JsonNode lastChange = after.get("etaHistory").get(after.get("etaHistory").size() - 1);
        assertThat(lastChange.get("cause").asString()).isEqualTo("RATE_CHANGED");
        assertThat(lastChange.get("oldLatest").asString()).isEqualTo(latestBefore.toString());
    }

    @Test
    void theUnbuiltCountOfThePlacementsMatchesTheQueue() throws Exception {
        String placed = place("SU7", "Wuhan");
        String built = place("SU7", "Wuhan");
        send(Topics.UNIT_BUILT, built, unitBuilt(built, Variant.SU7, NOW.minus(Duration.ofHours(1))));
        awaitStatus(built, "BUILT");
        assertThat(preorder(placed).get("status").asString()).isEqualTo("PLACED");

        await().atMost(PATIENCE).untilAsserted(() -> {
            Long queued = jdbc.queryForObject("select count(*) from preorder_eta where status = 'PLACED'", Long.class);
            Long counted = transactions.execute(status -> queue.length());
            assertThat(counted).isEqualTo(queued);
        });
    }

    @Test
    void theStatusCountsFollowEveryStatusChangeWithoutCountingThePreorders() throws Exception {
        String placed = place("SU7", "Hangzhou");
        String built = place("SU7", "Hangzhou");
        String scheduled = place("SU7", "Hangzhou");
        String cancelled = place("SU7", "Hangzhou");
        send(Topics.UNIT_BUILT, built, unitBuilt(built, Variant.SU7, NOW.minus(Duration.ofHours(1))));
        send(Topics.UNIT_BUILT, scheduled, unitBuilt(scheduled, Variant.SU7, NOW.minus(Duration.ofHours(1))));
        awaitStatus(scheduled, "BUILT");
        send(Topics.DELIVERY_SCHEDULED, scheduled, scheduled(scheduled, 1, "2026-05-16"));
        assertThat(http.post("/api/preorders/%s/cancellation".formatted(cancelled), null, Map.of("reason", "CHANGED_MIND")).status()).isEqualTo(200);
        awaitStatus(built, "BUILT");
        awaitStatus(scheduled, "DELIVERY_SCHEDULED");
        awaitStatus(cancelled, "CANCELLED");
        assertThat(preorder(placed).get("status").asString()).isEqualTo("PLACED");

        assertKeptCountsAreTheCounts();
        assertThat(keptCounts.foldAll()).as("counts that failed to fold").isZero();
        assertKeptCountsAreTheCounts();
        assertThat(jdbc.queryForObject("select count(*) from preorder_status_delta", Long.class))
                .as("folded: a row per status, and what the listeners wrote since")
                .isLessThanOrEqualTo(ProjectionStatus.values().length + 2L);
    }

    /** The kept counts and every preorder counted, in one snapshot (listeners of earlier tests may still be writing). */
    private void assertKeptCountsAreTheCounts() {
        TransactionTemplate snapshot = new TransactionTemplate(transactions.getTransactionManager());
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.executeWithoutResult(status -> {
            Map<ProjectionStatus, Long> counted = new EnumMap<>(ProjectionStatus.class);
            for (ProjectionStatus each : ProjectionStatus.values()) {
                counted.put(each, 0L);
            }
            jdbc.query("select status, count(*) from preorder_eta group by status",
                    (RowCallbackHandler) rs -> counted.put(ProjectionStatus.valueOf(rs.getString(1)), rs.getLong(2)));
            assertThat(statusCounts.byStatus()).isEqualTo(counted);
        });
    }

    private String place(String variant, String city) {
        return http.placePreorder(variant, city);
    }

    private JsonNode preorder(String id) {
        return http.preorder(id);
    }

    private JsonNode awaitStatus(String id, String status) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            found.add(preorder(id));
            assertThat(found.getFirst().get("status").asString()).isEqualTo(status);
        });
        return found.getFirst();
    }

    private void awaitProcessed(String consumer, String eventId) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from processed_event where consumer = ? and event_id = ?", Integer.class, consumer, eventId)).isEqualTo(1));
    }

    private void send(String topic, String key, Object event) throws Exception {
        kafka.send(topic, key, event).get();
    }

    private static List<String> causes(JsonNode preorder) {
        List<String> causes = new ArrayList<>();
        preorder.get("etaHistory").forEach(change -> causes.add(change.get("cause").asString()));
        return causes;
    }
}
