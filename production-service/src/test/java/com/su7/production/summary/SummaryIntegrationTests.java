package com.su7.production.summary;

import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryIntegrationTests extends IntegrationTestBase {

    @Test
    void countsThePreordersPlacedOnEachFactoryDayOfTheBuiltWindowWhateverBecameOfThem() {
        plant.drainQueue();
        LocalDate today = plant.today();
        Map<String, Integer> before = placedPerDay(7);
        assertThat(before.keySet()).as("the days builtPerDay shows").containsExactlyElementsOf(builtDays(7));
        long placedTodayBefore = jdbc.queryForObject("select count(*) from production_queue where placed_at >= ? and placed_at < ?",
                Long.class, Timestamp.from(calendar.startOf(today)), Timestamp.from(calendar.startOf(today.plusDays(1))));

        Instant yesterdayStarts = calendar.startOf(today.minusDays(1));
        UUID cancelled = UUID.randomUUID();
        UUID built = UUID.randomUUID();
        List<PreorderPlaced> placed = List.of(
                TestEvents.preorderPlaced(built, Variant.SU7, "Shanghai", yesterdayStarts),
                TestEvents.preorderPlaced(cancelled, Variant.SU7_PRO, "Beijing", yesterdayStarts.plus(Duration.ofMinutes(5))),
                TestEvents.preorderPlaced(UUID.randomUUID(), Variant.SU7_MAX, "Lhasa", calendar.startOf(today).minusMillis(1)),
                TestEvents.preorderPlaced(UUID.randomUUID(), Variant.SU7, "Wuhan", calendar.startOf(today.minusDays(3)).plusSeconds(30)),
                TestEvents.preorderPlaced(UUID.randomUUID(), Variant.SU7, "Wuhan", calendar.startOf(today.minusDays(8)).plusSeconds(30)),
                TestEvents.preorderPlaced(UUID.randomUUID(), Variant.SU7, "Wuhan", calendar.startOf(today)));
        plant.publish(placed.toArray(PreorderPlaced[]::new));
        plant.awaitQueued(placed.stream().map(event -> UUID.fromString(event.getPreorderId())).toList());
        plant.cancel(cancelled, Variant.SU7_PRO);
        plant.awaitStatus(cancelled, "CANCELLED");
        plant.endDay();
        plant.awaitStatus(built, "BUILT");

        // a day later the window ends with today, and starts a day later
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (LocalDate date = today.minusDays(6); date.isBefore(today); date = date.plusDays(1)) {
            expected.put(date.toString(), before.get(date.toString()));
        }
        expected.put(today.toString(), (int) placedTodayBefore + 1);
        expected.merge(today.minusDays(1).toString(), 3, Integer::sum);
        expected.merge(today.minusDays(3).toString(), 1, Integer::sum);
        assertThat(placedPerDay(7)).as("cancelled and built alike, each on the factory day it was placed; eight days back is outside")
                .containsExactlyEntriesOf(expected);
        assertThat(builtDays(7)).containsExactlyElementsOf(expected.keySet());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Integer> placedPerDay(int days) {
        Map<String, Object> summary = plant.http().get().uri("/api/production/summary?days={days}", days).retrieve().body(Map.class);
        Map<String, Integer> placed = new LinkedHashMap<>();
        ((List<Map<String, Object>>) summary.get("placedPerDay")).forEach(day -> placed.put((String) day.get("date"), (Integer) day.get("placed")));
        return placed;
    }

    @SuppressWarnings("unchecked")
    private List<String> builtDays(int days) {
        Map<String, Object> summary = plant.http().get().uri("/api/production/summary?days={days}", days).retrieve().body(Map.class);
        return ((List<Map<String, Object>>) summary.get("builtPerDay")).stream().map(day -> (String) day.get("date")).toList();
    }
}
