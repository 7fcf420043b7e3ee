package com.su7.production.queue;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

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
