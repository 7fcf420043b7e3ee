package com.su7.production.queue;

import com.su7.contract.Topics;
import com.su7.events.PreorderCancelled;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.messaging.count.KeptCounts;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.http.MediaType;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static com.su7.production.support.Plant.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A cancelled preorder leaves production, and a unit built for it goes to the next customer in line of its variant. */
class CancellationIntegrationTests extends IntegrationTestBase {

    @Autowired
    MeterRegistry meters;
    @Autowired
    ProductionQueue queue;
    @Autowired
    KeptCounts keptCounts;

    @Test
    void aBuiltPreordersUnitGoesToTheEarliestQueuedPreorderOfItsVariantOnce() {
        plant.drainQueue();
        LocalDate today = plant.today();
        plant.changePlan(today, List.of(Map.of("from", today.toString(), "unitsPerDay", 1)));
        Instant base = plant.now();
        UUID cancelled = UUID.randomUUID();
        UUID otherVariant = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(cancelled, Variant.SU7_MAX, "Shanghai", base),
                TestEvents.preorderPlaced(otherVariant, Variant.SU7, "Shanghai", base.plusSeconds(1)),
                TestEvents.preorderPlaced(later, Variant.SU7_MAX, "Beijing", base.plusSeconds(3)),
                TestEvents.preorderPlaced(next, Variant.SU7_MAX, "Beijing", base.plusSeconds(2)));
        plant.awaitQueued(List.of(cancelled, otherVariant, next, later));
        LocalDate builtOn = plant.endDay();
        Map<String, Object> built = plant.preorder(cancelled);
        String vin = (String) built.get("vin");
        UnitBuilt original = awaitUnitBuilt(cancelled).getFirst();

        PreorderCancelled cancellation = plant.cancel(cancelled, Variant.SU7_MAX);
        plant.awaitStatus(next, "BUILT");
        assertThat(plant.preorder(next)).as("built with the cancelled preorder's unit")
                .containsEntry("vin", vin).containsEntry("plant", built.get("plant")).containsEntry("builtAt", built.get("builtAt"))
                .containsEntry("estimatedBuildDate", builtOn.toString()).containsEntry("eta", builtOn.plusDays(1).toString())
                .containsEntry("queuePosition", null);
        assertThat(plant.preorder(cancelled)).containsEntry("status", "CANCELLED").containsEntry("releasedVin", vin)
                .containsEntry("vin", null).containsEntry("eta", null).containsEntry("estimatedBuildDate", null);
        assertThat(plant.preorder(otherVariant)).containsEntry("status", "QUEUED");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(plant.preorder(later)).as("moved up past the one that left")
                .containsEntry("status", "QUEUED").containsEntry("queuePosition", 2)
                .containsEntry("estimatedBuildDate", builtOn.plusDays(2).toString()));

        List<UnitBuilt> reassigned = awaitUnitBuilt(next);
        assertThat(reassigned).singleElement().satisfies(event -> {
            assertThat(event.getReassignedFrom()).isEqualTo(cancelled.toString());
            assertThat(event.getVin()).isEqualTo(vin);
            assertThat(event.getBuiltAt()).isEqualTo(original.getBuiltAt());
            assertThat(event.getVariant()).isEqualTo(Variant.SU7_MAX);
        });
        assertThat(holdersOf(vin)).containsExactly(next);

        // The same cancellation again (redelivered), and once more under another event id: nothing changes.
        double consumed = consumed();
        double duplicates = duplicates();
        plant.send(Topics.PREORDER_CANCELLED, cancelled.toString(), cancellation);
        PreorderCancelled underAnotherId = TestEvents.preorderCancelled(cancelled, Variant.SU7_MAX, plant.now());
        underAnotherId.setEventId(UUID.randomUUID().toString());
        plant.send(Topics.PREORDER_CANCELLED, cancelled.toString(), underAnotherId);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(duplicates()).as("the redelivery, dropped by the inbox").isEqualTo(duplicates + 1);
            assertThat(consumed()).as("the other event id, applied").isEqualTo(consumed + 1);
        });
        assertThat(plant.preorder(later)).containsEntry("status", "QUEUED");
        assertThat(plant.preorder(cancelled)).containsEntry("status", "CANCELLED").containsEntry("releasedVin", vin);
        assertThat(holdersOf(vin)).containsExactly(next);
        assertThat(unitBuilt(next)).hasSize(1);
        assertThat(unitBuilt(later)).isEmpty();

        // Taken in, built, cancelled, built with a released unit: the queue length kept as deltas is the count, folded too.
        assertKeptQueueLengthIsTheCount();
        assertThat(keptCounts.foldAll()).as("counts that failed to fold").isZero();
        assertKeptQueueLengthIsTheCount();
        assertThat(jdbc.queryForObject("select count(*) from queue_length_delta", Long.class)).isLessThanOrEqualTo(2L);
    }

    /** Two statements, two snapshots: the listeners of earlier tests may still be writing between them. */
    private void assertKeptQueueLengthIsTheCount() {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(queue.length())
                .isEqualTo(jdbc.queryForObject("select count(*) from production_queue where status = 'QUEUED'", Long.class)));
    }

    @Test
    void aScheduledPreordersUnitGoesOnAndASchedulingOfItAfterwardsChangesNothing() {
        plant.drainQueue();
        LocalDate today = plant.today();
        plant.changePlan(today, List.of(Map.of("from", today.toString(), "unitsPerDay", 1)));
        UUID cancelled = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(cancelled, Variant.SU7, "Guangzhou", plant.now()),
                TestEvents.preorderPlaced(next, Variant.SU7, "Guangzhou", plant.now().plusSeconds(1)));
        plant.awaitQueued(List.of(cancelled, next));
        LocalDate builtOn = plant.endDay();
        String vin = (String) plant.preorder(cancelled).get("vin");
        plant.send(Topics.DELIVERY_SCHEDULED, cancelled.toString(), TestEvents.deliveryScheduled(cancelled, vin, builtOn.plusDays(5), 1));
        plant.awaitStatus(cancelled, "DELIVERY_SCHEDULED");

        plant.cancel(cancelled, Variant.SU7);
        plant.awaitStatus(next, "BUILT");
        assertThat(plant.preorder(next)).containsEntry("vin", vin).containsEntry("deliveryDate", null);
        assertThat(plant.preorder(cancelled)).containsEntry("status", "CANCELLED").containsEntry("releasedVin", vin)
                .containsEntry("deliveryDate", null).containsEntry("deliveryCenter", null);
        assertThat(awaitUnitBuilt(next)).singleElement()
                .satisfies(event -> assertThat(event.getReassignedFrom()).isEqualTo(cancelled.toString()));

        // A later revision for the cancelled preorder (delivery sent it before it learnt of the cancellation): a
        // valid event, so neither applied nor dead-lettered.
        double consumed = consumedSchedules();
        plant.send(Topics.DELIVERY_SCHEDULED, cancelled.toString(), TestEvents.deliveryScheduled(cancelled, vin, builtOn.plusDays(6), 2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(consumedSchedules()).isEqualTo(consumed + 1));
        assertThat(plant.preorder(cancelled)).containsEntry("status", "CANCELLED").containsEntry("deliveryDate", null)
                .containsEntry("eta", null);
        assertThat(probe.recordsWithKey(Topics.DELIVERY_SCHEDULED_DLT, cancelled.toString())).isEmpty();
    }

    @Test
    void withNoQueuedPreorderOfItsVariantTheUnitIsKeptSpareAndTheNextOneTakenInGetsIt() {
        plant.drainQueue();
        UUID cancelled = UUID.randomUUID();
        UUID otherVariant = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(cancelled, Variant.SU7_PRO, "Chengdu", plant.now()),
                TestEvents.preorderPlaced(otherVariant, Variant.SU7_MAX, "Chengdu", plant.now().plusSeconds(1)));
        plant.awaitQueued(List.of(cancelled, otherVariant));
        LocalDate builtOn = plant.endDay();
        String vin = (String) plant.preorder(cancelled).get("vin");
        UUID queuedOfOtherVariant = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(queuedOfOtherVariant, Variant.SU7, "Chengdu", plant.now()));
        plant.awaitQueued(List.of(queuedOfOtherVariant));

        plant.cancel(cancelled, Variant.SU7_PRO);
        plant.awaitStatus(cancelled, "CANCELLED");
        assertThat(plant.preorder(cancelled)).containsEntry("releasedVin", vin);
        assertThat(plant.preorder(queuedOfOtherVariant)).as("another variant does not take it").containsEntry("status", "QUEUED");
        assertThat(holdersOf(vin)).isEmpty();
        Map<String, Object> summary = summary();
        assertThat(summary.get("spareUnits")).isEqualTo(Map.of("SU7", 0, "SU7_PRO", 1, "SU7_MAX", 0));
        assertThat(builtPerDay(summary)).as("the spare still counts as built that day").containsEntry(builtOn.toString(),
                plant.builtOn(builtOn) + 1);
        ResponseEntity<Map> spareVinReported = plant.http().post().uri("/api/production/units").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("preorderId", queuedOfOtherVariant.toString(), "vin", vin)).retrieve().toEntity(Map.class);
        assertThat(spareVinReported.getStatusCode().value()).as("the factory feed cannot give a spare's VIN to another preorder")
                .isEqualTo(409);

        UUID next = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(next, Variant.SU7_PRO, "Chengdu", plant.now()));
        plant.awaitStatus(next, "BUILT");
        assertThat(plant.preorder(next)).containsEntry("vin", vin).containsEntry("estimatedBuildDate", builtOn.toString())
                .containsEntry("eta", builtOn.plusDays(3).toString());
        assertThat(awaitUnitBuilt(next)).singleElement().satisfies(event -> {
            assertThat(event.getReassignedFrom()).isEqualTo(cancelled.toString());
            assertThat(event.getVin()).isEqualTo(vin);
        });
        assertThat(holdersOf(vin)).containsExactly(next);
        assertThat(summary().get("spareUnits")).isEqualTo(Map.of("SU7", 0, "SU7_PRO", 0, "SU7_MAX", 0));

        UUID afterThat = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(afterThat, Variant.SU7_PRO, "Chengdu", plant.now()));
        plant.awaitQueued(List.of(afterThat));
        assertThat(plant.preorder(afterThat)).as("no spare left: queued as usual").containsEntry("status", "QUEUED");
    }

    @Test
    void aCancellationBeforeItsPreorderIsHeldAndThePreorderIsNeverQueued() {
        plant.drainQueue();
        UUID id = UUID.randomUUID();
        double consumed = consumed();
        plant.cancel(id, Variant.SU7);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(consumed()).isEqualTo(consumed + 1));
        assertThat(plant.http().get().uri("/api/production/preorders/{id}", id).retrieve().toEntity(Map.class)
                .getStatusCode().value()).as("not known to production yet").isEqualTo(404);

        UUID behind = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(id, Variant.SU7, "Nanjing", plant.now()),
                TestEvents.preorderPlaced(behind, Variant.SU7, "Nanjing", plant.now().plusSeconds(1)));
        plant.awaitQueued(List.of(behind));
        assertThat(plant.preorder(id)).containsEntry("status", "CANCELLED").containsEntry("queuePosition", null)
                .containsEntry("eta", null).containsKey("cancelledAt");
        assertThat(plant.preorder(behind)).containsEntry("queuePosition", 1);
        plant.endDay();
        assertThat(plant.preorder(behind)).containsEntry("status", "BUILT");
        assertThat(plant.preorder(id)).containsEntry("status", "CANCELLED").containsEntry("vin", null);
        assertThat(unitBuilt(id)).isEmpty();
    }

    private List<UUID> holdersOf(String vin) {
        return jdbc.queryForList("select preorder_id from production_queue where vin = ?", UUID.class, vin);
    }

    private double consumed() {
        return count("su7.messaging.consumed", PreorderCancelledListener.CONSUMER);
    }

    private double duplicates() {
        return count("su7.messaging.duplicates", PreorderCancelledListener.CONSUMER);
    }

    private double consumedSchedules() {
        return count("su7.messaging.consumed", DeliveryScheduledListener.CONSUMER);
    }

    /** 0 until the consumer's first batch registers the counter. */
    private double count(String counter, String consumer) {
        Counter found = meters.find(counter).tag("consumer", consumer).counter();
        return found == null ? 0 : found.count();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> summary() {
        return plant.http().get().uri("/api/production/summary?days=3").retrieve().body(Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> builtPerDay(Map<String, Object> summary) {
        return ((List<Map<String, Object>>) summary.get("builtPerDay")).stream()
                .collect(Collectors.toMap(day -> (String) day.get("date"), day -> (Integer) day.get("built")));
    }
}
