package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.production.capacity.CapacityPlan;
import com.su7.production.capacity.CapacityPlans;
import com.su7.production.shared.ProductionDays;
import com.su7.production.shared.ProductionProperties;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import com.su7.testsupport.SharedLocalStack;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.su7.production.support.Plant.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class QueueEtaProjectionIntegrationTests extends IntegrationTestBase {

    @Autowired
    MeterRegistry meters;
    @Autowired
    QueueEtaProjection projection;
    @Autowired
    ProductionDays days;
    @Autowired
    ProductionProperties properties;
    @Autowired
    CapacityPlans capacityPlans;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void raisingCapacityMovesQueuedEtasEarlierAndLoweringItMovesThemLater() {
        plant.drainQueue();
        LocalDate today = plant.today();
        plant.changePlan(today, List.of(Map.of("from", today.toString(), "unitsPerDay", 2)));
        List<UUID> ids = place(10, "SHANGHAI");
        UUID last = ids.getLast();
        assertThat(plant.preorder(last)).containsEntry("queuePosition", 10)
                .containsEntry("estimatedBuildDate", today.plusDays(4).toString())
                .containsEntry("eta", today.plusDays(6).toString());
        assertThat(plant.preorder(ids.getFirst())).containsEntry("estimatedBuildDate", today.toString());

        plant.changePlan(today, List.of(Map.of("from", today.toString(), "unitsPerDay", 5)));
        assertThat(plant.preorder(last)).as("raised: earlier").containsEntry("estimatedBuildDate", today.plusDays(1).toString())
                .containsEntry("eta", today.plusDays(3).toString());

        plant.changePlan(today.plusDays(1), List.of(
                Map.of("from", today.plusDays(1).toString(), "to", today.plusDays(3).toString(), "unitsPerDay", 0),
                Map.of("from", today.plusDays(3).toString(), "unitsPerDay", 1)));
        // 5 today, none for two days (a pause), then 1 a day: the 10th is the 5th after the pause.
        assertThat(plant.preorder(last)).as("lowered: later").containsEntry("estimatedBuildDate", today.plusDays(7).toString())
                .containsEntry("eta", today.plusDays(9).toString());
        assertThat(meters.get("su7.production.eta.recompute").tag("scope", "queue").timer().count()).isPositive();
    }

    /**
     * At a launch the planner sees an empty table's statistics (autovacuum has not analyzed the burst yet): a round must
     * not join the queued rows to their positions by a nested loop, which reads every position once per row (69 s for
     * ~60,000 queued in a default ./run.sh, the lines stopped meanwhile). Planned here with such statistics: 20,000 built
     * rows and none queued, in a superuser's transaction that is rolled back.
     */
    @Test
    void aRoundJoinsTheQueuedRowsToTheirPositionsByHashWhateverTheStatisticsSay() {
        plant.drainQueue();
        String database = jdbc.queryForObject("select current_database()", String.class);
        DataSource superuser = SharedLocalStack.get().postgresSuperuser(database);
        JdbcTemplate asSuperuser = new JdbcTemplate(superuser);
        String plan = new TransactionTemplate(new DataSourceTransactionManager(superuser)).execute(status -> {
            // As after days of building: many rows, none of them queued when the statistics were taken.
            asSuperuser.update("""
                    insert into production_queue (preorder_id, variant, delivery_city, placed_at, queued_at, status, vin, plant, built_on, built_at)
                    select gen_random_uuid(), 'SU7', 'Beijing', now() - interval '30 days', now() - interval '30 days', 'BUILT',
                           'STATS' || i, 'Beijing', current_date - 1, now() - interval '1 day'
                    from generate_series(1, 20000) as i""");
            asSuperuser.execute("analyze production_queue");
            QueueEtaProjection.SETTINGS.forEach(asSuperuser::execute);
            String explained = String.join("\n", asSuperuser.queryForList("explain " + QueueEtaProjection.PROJECT_FROM, String.class,
                    projection.parameters("-infinity", "00000000-0000-0000-0000-000000000000")));
            status.setRollbackOnly();
            return explained;
        });

        assertThat(plan).as("the rows to update found by hashing their positions:%n%s", plan)
                .containsAnyOf("Hash Cond: (q.preorder_id = queued.preorder_id)", "Hash Cond: (queued.preorder_id = q.preorder_id)");
    }

    @Test
    void anUnknownCityTakesTheDefaultTransitAndAnEarlierPlacedPreorderQueuesAhead() {
        plant.drainQueue();
        LocalDate today = plant.today();
        plant.changePlan(today, List.of(Map.of("from", today.toString(), "unitsPerDay", 1)));
        UUID later = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(later, Variant.SU7, "Lhasa", plant.now().plusSeconds(10)));
        plant.awaitQueued(List.of(later));
        assertThat(plant.preorder(later)).containsEntry("estimatedBuildDate", today.toString())
                .containsEntry("eta", today.plusDays(3).toString());

        UUID earlier = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(earlier, Variant.SU7_PRO, "tian-jin", plant.now()));
        plant.awaitQueued(List.of(earlier));
        assertThat(plant.preorder(earlier)).containsEntry("queuePosition", 1).containsEntry("eta", today.plusDays(1).toString());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(plant.preorder(later)).as("pushed back a day by the earlier one")
                .containsEntry("queuePosition", 2).containsEntry("estimatedBuildDate", today.plusDays(1).toString()));
    }

    @Test
    void theScheduledDeliveryDateIsTheFinalEtaAndALowerRevisionDoesNotWin() {
        plant.drainQueue();
        UUID id = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(id, Variant.SU7_MAX, "Guangzhou", plant.now()));
        plant.awaitQueued(List.of(id));
        LocalDate builtOn = plant.endDay();
        Map<String, Object> built = plant.preorder(id);
        assertThat(built).containsEntry("status", "BUILT").containsEntry("eta", builtOn.plusDays(3).toString());
        String vin = (String) built.get("vin");

        plant.send(Topics.DELIVERY_SCHEDULED, id.toString(), TestEvents.deliveryScheduled(UUID.fromString(id.toString()), vin, builtOn.plusDays(5), 2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(plant.preorder(id))
                .containsEntry("status", "DELIVERY_SCHEDULED").containsEntry("eta", builtOn.plusDays(5).toString())
                .containsEntry("deliveryRevision", 2));
        plant.send(Topics.DELIVERY_SCHEDULED, id.toString(), TestEvents.deliveryScheduled(id, vin, builtOn.plusDays(4), 1));
        plant.send(Topics.DELIVERY_SCHEDULED, id.toString(), TestEvents.deliveryScheduled(id, vin, builtOn.plusDays(7), 3));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(plant.preorder(id))
                .containsEntry("eta", builtOn.plusDays(7).toString()).containsEntry("deliveryRevision", 3));
        assertThat(plant.preorder(id)).containsEntry("deliveryDate", builtOn.plusDays(7).toString());
    }

    @Test
    void theSummaryShowsTheQueueByVariantWhatWasBuiltAndThePlanAhead() {
        plant.drainQueue();
        LocalDate today = plant.today();
        plant.changePlan(today, List.of(Map.of("from", today.toString(), "unitsPerDay", 2)));
        place(3, "Nanjing");
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = plant.http().get().uri("/api/production/summary?days=3").retrieve().body(Map.class);
        assertThat(summary).containsEntry("today", today.toString()).containsEntry("queueLength", 3).containsEntry("linesEnabled", true);
        assertThat(summary.get("queueLengthByVariant")).isEqualTo(Map.of("SU7", 1, "SU7_PRO", 1, "SU7_MAX", 1));
        assertThat(summary.get("plan")).isEqualTo(List.of(
                Map.of("date", today.toString(), "capacity", 2, "projectedUnits", 2),
                Map.of("date", today.plusDays(1).toString(), "capacity", 2, "projectedUnits", 1),
                Map.of("date", today.plusDays(2).toString(), "capacity", 2, "projectedUnits", 0)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> built = (List<Map<String, Object>>) summary.get("builtPerDay");
        assertThat(built).hasSize(3).last().satisfies(day -> assertThat(day).containsEntry("date", today.minusDays(1).toString()));

        var refused = plant.http().get().uri("/api/production/summary?days=0").retrieve().toEntity(Map.class);
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(String.valueOf(refused.getBody().get("errors"))).contains("days");

        String metrics = plant.http().get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics).contains("su7_production_queue_length", "su7_production_units_built_total", "su7_production_eta_recompute_seconds");
    }

    @Test
    void aCancelledQueuedPreorderLeavesTheQueueThoseBehindMoveUpAndItIsNeverBuilt() {
        plant.drainQueue();
        LocalDate today = plant.today();
        plant.changePlan(today, List.of(Map.of("from", today.toString(), "unitsPerDay", 1)));
        List<UUID> ids = place(3, "Beijing");
        UUID cancelled = ids.get(1);
        UUID behind = ids.get(2);
        assertThat(plant.preorder(behind)).containsEntry("queuePosition", 3).containsEntry("estimatedBuildDate", today.plusDays(2).toString());

        plant.cancel(cancelled, Variant.SU7_PRO);
        plant.awaitStatus(cancelled, "CANCELLED");
        assertThat(plant.preorder(cancelled)).containsEntry("queuePosition", null).containsEntry("estimatedBuildDate", null)
                .containsEntry("eta", null).containsEntry("vin", null).containsEntry("releasedVin", null)
                .containsKey("cancelledAt");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(plant.preorder(behind)).as("moved up a place and a day")
                .containsEntry("queuePosition", 2).containsEntry("estimatedBuildDate", today.plusDays(1).toString())
                .containsEntry("eta", today.plusDays(2).toString()));
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = plant.http().get().uri("/api/production/summary?days=2").retrieve().body(Map.class);
        assertThat(summary).containsEntry("queueLength", 2);
        assertThat(summary.get("queueLengthByVariant")).isEqualTo(Map.of("SU7", 1, "SU7_PRO", 0, "SU7_MAX", 1));
        assertThat(plant.http().get().uri("/actuator/prometheus").retrieve().body(String.class))
                .containsPattern("(?m)^su7_production_queue_length(\\{[^}]*\\})? 2\\.0$");

        LocalDate first = plant.endDay();
        LocalDate second = plant.endDay();
        assertThat(plant.builtOn(first, ids)).containsExactly(ids.getFirst());
        assertThat(plant.builtOn(second, ids)).containsExactly(behind);
        assertThat(plant.preorder(cancelled)).containsEntry("status", "CANCELLED");
        assertThat(awaitUnitBuilt(behind)).hasSize(1);
        assertThat(unitBuilt(cancelled)).as("never built").isEmpty();
    }

    /**
     * The projection's definition, counted day by day in Java: from the first open day to the horizon, each day's
     * capacity takes the next places in line; a place no day takes has no estimate. Checked for a whole recomputation
     * and for a round from the middle of the queue, with a pause, a plan that ends and one that runs past the horizon.
     */
    @Test
    void eachQueuedPreorderIsBuiltOnTheDayItsPlaceFallsOnCountingTheDaysOfThePlanUpToTheHorizon() {
        plant.drainQueue();
        LocalDate first = days.firstOpenDay();
        int horizon = properties.eta().horizonDays();
        int queued = horizon + 40;
        jdbc.update("""
                insert into production_queue (preorder_id, variant, delivery_city, city_key, placed_at, queued_at)
                select gen_random_uuid(), 'SU7', 'Shanghai', 'shanghai', ?::timestamptz + i * interval '1 second', ?::timestamptz
                from generate_series(1, ?) as i""", Timestamp.from(plant.now()), Timestamp.from(plant.now()), queued);

        plant.changePlan(first, List.of(
                Map.of("from", first.toString(), "to", first.plusDays(2).toString(), "unitsPerDay", 3),
                Map.of("from", first.plusDays(2).toString(), "to", first.plusDays(4).toString(), "unitsPerDay", 0),
                Map.of("from", first.plusDays(4).toString(), "to", first.plusDays(7).toString(), "unitsPerDay", 700)));
        assertThat(projectedBuildDates()).as("a plan that ends").isEqualTo(countedDayByDay(first, horizon, queued));

        plant.changePlan(first, List.of(
                Map.of("from", first.toString(), "to", first.plusDays(3).toString(), "unitsPerDay", 2),
                Map.of("from", first.plusDays(3).toString(), "unitsPerDay", 1)));
        assertThat(projectedBuildDates()).as("a plan past the horizon").isEqualTo(countedDayByDay(first, horizon, queued));

        Map.Entry<UUID, Instant> middle = jdbc.queryForObject("""
                select preorder_id, placed_at from production_queue where status = 'QUEUED'
                order by placed_at, preorder_id offset ? limit 1""",
                (row, n) -> Map.entry(row.getObject(1, UUID.class), row.getTimestamp(2).toInstant()), queued / 2);
        jdbc.update("""
                update production_queue set estimated_build_date = null, eta = null
                where status = 'QUEUED' and (placed_at, preorder_id) >= (?, ?)""", Timestamp.from(middle.getValue()), middle.getKey());
        transactions.executeWithoutResult(status -> projection.projectAfterCommit(List.of(
                new QueuedPreorder(new PreorderId(middle.getKey()), Variant.SU7, "Shanghai", middle.getValue()))));
        projection.projectQueuedSinceLastRound();
        assertThat(projectedBuildDates()).as("a round from the middle").isEqualTo(countedDayByDay(first, horizon, queued));
        assertThat(jdbc.queryForObject("""
                select count(*) from production_queue
                where status = 'QUEUED' and eta is distinct from estimated_build_date + 2""", Long.class))
                .as("ETA: the build date and Shanghai's 2 days of transit").isZero();
        plant.drainQueue();
    }

    /** Each queued preorder's build date in queue order, null where it has none. */
    private List<LocalDate> projectedBuildDates() {
        return jdbc.query("select estimated_build_date from production_queue where status = 'QUEUED' order by placed_at, preorder_id",
                (row, n) -> row.getObject(1, LocalDate.class));
    }

    private List<LocalDate> countedDayByDay(LocalDate first, int horizon, int queued) {
        CapacityPlan plan = capacityPlans.current();
        List<LocalDate> dates = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(first.plusDays(horizon)); day = day.plusDays(1)) {
            for (int unit = 0; unit < plan.capacityOn(day) && dates.size() < queued; unit++) {
                dates.add(day);
            }
        }
        while (dates.size() < queued) {
            dates.add(null);
        }
        return dates;
    }

    private List<UUID> place(int count, String city) {
        List<UUID> ids = new ArrayList<>();
        Variant[] variants = Variant.values();
        List<PreorderPlaced> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            events.add(TestEvents.preorderPlaced(id, variants[i % variants.length], city, plant.now().plusSeconds(i)));
        }
        plant.publish(events.toArray(PreorderPlaced[]::new));
        plant.awaitQueued(ids);
        return ids;
    }
}
