package com.su7.production.line;

import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.su7.production.support.Plant.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProductionLinesIntegrationTests extends IntegrationTestBase {

    @Autowired
    ProductionLines lines;

    @Test
    void eachFactoryDayBuildsExactlyItsCapacityInQueueOrderWithValidVins() {
        plant.drainQueue();
        LocalDate first = plant.today();
        plant.changePlan(first, List.of(
                Map.of("from", first.toString(), "to", first.plusDays(2).toString(), "unitsPerDay", 3),
                Map.of("from", first.plusDays(2).toString(), "unitsPerDay", 5)));
        List<UUID> inQueueOrder = placeInShuffledOrder(12, "Beijing");

        assertThat(plant.endDay()).isEqualTo(first);
        assertThat(plant.builtOn(first)).isEqualTo(3);
        assertThat(plant.builtOn(first, inQueueOrder)).containsExactlyElementsOf(inQueueOrder.subList(0, 3));
        plant.endDay();
        assertThat(plant.builtOn(first.plusDays(1), inQueueOrder)).containsExactlyElementsOf(inQueueOrder.subList(3, 6));
        plant.endDay();
        assertThat(plant.builtOn(first.plusDays(2), inQueueOrder)).containsExactlyElementsOf(inQueueOrder.subList(6, 11));
        plant.endDay();
        assertThat(plant.builtOn(first.plusDays(3), inQueueOrder)).as("the last one, the queue then empty")
                .containsExactlyElementsOf(inQueueOrder.subList(11, 12));
        assertThat(plant.queueLength()).isZero();

        for (UUID id : inQueueOrder) {
            List<UnitBuilt> published = awaitUnitBuilt(id);
            assertThat(published).as("UnitBuilt of %s", id).hasSize(1);
            Map<String, Object> preorder = plant.preorder(id);
            String vin = (String) preorder.get("vin");
            assertThat(Vin.problemWith(vin)).as("VIN %s", vin).isNull();
            assertThat(vin).startsWith("LSUS7").hasSize(17);
            assertThat(preorder).containsEntry("status", "BUILT").containsEntry("plant", "Beijing Yizhuang");
            LocalDate builtOn = LocalDate.parse((String) preorder.get("estimatedBuildDate"));
            assertThat(calendar.dateOf(Instant.parse((String) preorder.get("builtAt")))).isEqualTo(builtOn);
            assertThat(preorder.get("eta")).as("built date + 1 day to Beijing").isEqualTo(builtOn.plusDays(1).toString());
        }
    }

    @Test
    void aRestartMidDayBuildsNothingTwiceAndCatchesUpTheDaysItMissedEachWithItsCapacity() {
        plant.drainQueue();
        LocalDate first = plant.today();
        plant.changePlan(first, List.of(Map.of("from", first.toString(), "unitsPerDay", 2)));
        List<UUID> inQueueOrder = placeInShuffledOrder(7, "Wuhan");

        lines.stop();
        try {
            // Down from mid-day for three factory days and a half.
            plant.moveClock(plant.dayLength().dividedBy(2));
            plant.moveClock(plant.dayLength().multipliedBy(3));
            assertThat(plant.lastBuiltDate()).as("nothing built while down").isEqualTo(first.minusDays(1));
        } finally {
            lines.start();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(plant.lastBuiltDate()).isEqualTo(first.plusDays(2)));
        for (int day = 0; day < 3; day++) {
            assertThat(plant.builtOn(first.plusDays(day), inQueueOrder)).as("day %d", day)
                    .containsExactlyElementsOf(inQueueOrder.subList(day * 2, day * 2 + 2));
        }
        // Restarted again mid-day: the day in progress is not built until it ends.
        lines.stop();
        lines.start();
        assertThat(plant.builtOn(plant.today())).isZero();
        assertThat(plant.queueLength()).isEqualTo(1);
        plant.endDay();
        assertThat(plant.queueLength()).isZero();
        for (UUID id : inQueueOrder) {
            assertThat(awaitUnitBuilt(id)).as("UnitBuilt of %s", id).hasSize(1);
        }
    }

    @Test
    void aPreorderPlacedDeliveredTwiceIsQueuedAndBuiltOnce() {
        plant.drainQueue();
        UUID id = UUID.randomUUID();
        PreorderPlaced placed = TestEvents.preorderPlaced(id, Variant.SU7_MAX, "Chengdu", plant.now());
        PreorderPlaced againWithAnotherEventId = TestEvents.preorderPlaced(id, Variant.SU7_MAX, "Chengdu", plant.now());
        plant.publish(placed, placed, againWithAnotherEventId);
        plant.awaitQueued(List.of(id));
        UUID after = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(after, Variant.SU7, "Chengdu", plant.now().plusMillis(1)));
        plant.awaitQueued(List.of(after));

        assertThat(jdbc.queryForObject("select count(*) from production_queue where preorder_id = ?", Integer.class, id)).isEqualTo(1);
        assertThat(plant.preorder(id)).containsEntry("status", "QUEUED").containsEntry("queuePosition", 1);
        assertThat(plant.preorder(after)).containsEntry("queuePosition", 2);
        plant.endDay();
        assertThat(awaitUnitBuilt(id)).hasSize(1);
    }

    /**
     * A cancellation and the day's build, started together several times: each round ends in one of the two
     * serial outcomes, never in between. Cancelled first, the preorder is never built and the day builds the two
     * behind it; built first, its unit goes to the next of its variant. Either way the other two are built, and
     * every VIN is held by one preorder.
     */
    @Test
    void aCancellationRacingTheDaysBuildEndsAsIfOneCameFirst() throws Exception {
        for (int round = 0; round < 5; round++) {
            plant.drainQueue();
            LocalDate ending = plant.today();
            plant.changePlan(ending, List.of(Map.of("from", ending.toString(), "unitsPerDay", 2)));
            UUID cancelled = UUID.randomUUID();
            UUID other = UUID.randomUUID();
            UUID nextOfItsVariant = UUID.randomUUID();
            Instant base = plant.now();
            plant.publish(TestEvents.preorderPlaced(cancelled, Variant.SU7_PRO, "Wuhan", base),
                    TestEvents.preorderPlaced(other, Variant.SU7, "Wuhan", base.plusSeconds(1)),
                    TestEvents.preorderPlaced(nextOfItsVariant, Variant.SU7_PRO, "Wuhan", base.plusSeconds(2)));
            plant.awaitQueued(List.of(cancelled, other, nextOfItsVariant));

            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Void> cancellation = CompletableFuture.runAsync(() -> {
                awaitUninterruptibly(start);
                plant.cancel(cancelled, Variant.SU7_PRO);
            });
            start.countDown();
            plant.moveClock(plant.dayLength());
            cancellation.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(plant.lastBuiltDate()).isEqualTo(ending);
                assertThat(plant.preorder(cancelled)).containsEntry("status", "CANCELLED");
                assertThat(plant.preorder(nextOfItsVariant)).containsEntry("status", "BUILT");
            });

            Map<String, Object> gaveUp = plant.preorder(cancelled);
            assertThat(gaveUp).containsEntry("vin", null).containsEntry("eta", null);
            assertThat(plant.preorder(other)).containsEntry("status", "BUILT");
            String vin = (String) plant.preorder(nextOfItsVariant).get("vin");
            List<UnitBuilt> toNext = awaitUnitBuilt(nextOfItsVariant);
            assertThat(toNext).as("round %d: one UnitBuilt for the next of the variant", round).hasSize(1);
            if (gaveUp.get("releasedVin") == null) {
                assertThat(unitBuilt(cancelled)).as("round %d, cancelled first: never built", round).isEmpty();
                assertThat(toNext.getFirst().getReassignedFrom()).isNull();
            } else {
                assertThat(awaitUnitBuilt(cancelled)).as("round %d, built first", round).hasSize(1);
                assertThat(vin).isEqualTo(gaveUp.get("releasedVin"));
                assertThat(toNext.getFirst().getReassignedFrom()).isEqualTo(cancelled.toString());
            }
            assertThat(toNext.getFirst().getVin()).isEqualTo(vin);
            assertThat(jdbc.queryForObject("select count(*) from production_queue where vin = ?", Integer.class, vin)).isEqualTo(1);
            assertThat(plant.builtOn(ending)).as("round %d: the day built its capacity", round).isEqualTo(2);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<UUID> placeInShuffledOrder(int count, String city) {
        Instant base = plant.now();
        List<PreorderPlaced> events = new ArrayList<>();
        Variant[] variants = Variant.values();
        for (int i = 0; i < count; i++) {
            events.add(TestEvents.preorderPlaced(UUID.randomUUID(), variants[i % variants.length], city, base.plusSeconds(i)));
        }
        List<UUID> inQueueOrder = events.stream().map(event -> UUID.fromString(event.getPreorderId())).toList();
        List<PreorderPlaced> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(count));
        plant.publish(shuffled.toArray(PreorderPlaced[]::new));
        plant.awaitQueued(inQueueOrder);
        assertThat(IntStream.range(0, count).mapToObj(i -> ((Number) plant.preorder(inQueueOrder.get(i)).get("queuePosition")).intValue()).toList())
                .as("queue positions follow placedAt, not arrival").isSorted().doesNotHaveDuplicates();
        return inQueueOrder;
    }
}
