package com.su7.production.capacity;

import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static com.su7.production.support.Plant.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ops see what a plan change would do to the queue's projected dates before they make it. */
@SuppressWarnings({"unchecked", "rawtypes"})
@ExtendWith(OutputCaptureExtension.class)
class CapacityPlanPreviewIntegrationTests extends IntegrationTestBase {

    private static final List<String> CITIES = List.of("Shanghai", "Beijing", "Lhasa", "Guangzhou");

    @Autowired
    MeterRegistry meters;

    @Test
    void previewsExactlyWhatTheChangeThenDoesToEveryQueuedDateAndChangesNothing(CapturedOutput output) {
        plant.drainQueue();
        LocalDate today = plant.today();
        plant.changePlan(today, List.of(Map.of("from", today.toString(), "unitsPerDay", 2)));
        List<UUID> ids = place(16);
        // two a day: the i-th (from 0) is built on day i / 2
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(dates(ids).entrySet()).allSatisfy(entry ->
                assertThat(entry.getValue().build()).isEqualTo(today.plusDays(ids.indexOf(entry.getKey()) / 2))));

        // none for two days, then 6 a day for two days and nothing after: some move later, some earlier, two lose their date
        LocalDate from = today.plusDays(1);
        Map<String, Object> change = change(from, List.of(
                Map.of("from", from.toString(), "to", today.plusDays(3).toString(), "unitsPerDay", 0),
                Map.of("from", today.plusDays(3).toString(), "to", today.plusDays(5).toString(), "unitsPerDay", 6)));
        Map<UUID, Dates> before = dates(ids);
        Snapshot unchanged = snapshot(ids);
        int logged = output.getAll().length();

        ResponseEntity<Map> preview = preview(change);

        assertThat(preview.getStatusCode().value()).as(String.valueOf(preview.getBody())).isEqualTo(200);
        assertThat(snapshot(ids)).as("nothing changed by the preview").isEqualTo(unchanged);
        assertThat(output.getAll().substring(logged)).as("no log line claims a change")
                .doesNotContain("capacity plan changed", "recomputed the ETAs of the queue");
        Map<String, Object> previewed = new HashMap<>(preview.getBody());
        Map<String, Object> plan = (Map<String, Object>) previewed.remove("plan");
        assertThat(previewed).containsEntry("queued", 16).containsEntry("movedEarlier", 4).containsEntry("movedLater", 4)
                .containsEntry("unchanged", 6).containsEntry("newlyEstimated", 0).containsEntry("noLongerEstimated", 2)
                .containsEntry("daysEarlier", Map.of("p50", 1, "p95", 2, "max", 2))
                .containsEntry("daysLater", Map.of("p50", 1, "p95", 2, "max", 2));

        ResponseEntity<Map> applied = put(change);

        assertThat(applied.getStatusCode().value()).isEqualTo(200);
        assertThat(previewed).as("what the change did to the dates").isEqualTo(movement(before, dates(ids)));
        assertThat(plan.get("periods")).as("the plan as it became").isEqualTo(applied.getBody().get("periods"));
        assertThat(plan).containsEntry("today", today.toString()).containsEntry("capacityToday", 2);
        assertThat(output.getAll().substring(logged)).as("the change itself is logged")
                .contains("capacity plan changed", "recomputed the ETAs of the queue");

        // restoring capacity after the plan's end would give the last two their dates back
        Map<String, Object> restore = change(today.plusDays(5), List.of(Map.of("from", today.plusDays(5).toString(), "unitsPerDay", 6)));
        Snapshot afterChange = snapshot(ids);
        Map<String, Object> restored = new HashMap<>(preview(restore).getBody());
        restored.remove("plan");
        assertThat(restored).containsEntry("queued", 16).containsEntry("newlyEstimated", 2).containsEntry("unchanged", 14)
                .containsEntry("movedEarlier", 0).containsEntry("daysEarlier", Map.of("p50", 0, "p95", 0, "max", 0));
        assertThat(snapshot(ids)).as("nothing changed by the preview").isEqualTo(afterChange);

        // applied, it does that (and leaves an open-ended plan, as the other tests expect)
        Map<UUID, Dates> beforeRestore = dates(ids);
        assertThat(put(restore).getStatusCode().value()).isEqualTo(200);
        assertThat(restored).isEqualTo(movement(beforeRestore, dates(ids)));
    }

    @Test
    void refusesInvalidChangesAsThePlanChangeDoesAndChangesNothing() {
        LocalDate today = plant.today();
        Snapshot unchanged = snapshot(List.of());
        assertRefused(change(today, List.of(Map.of("from", today.toString(), "unitsPerDay", -5))),
                "periods[0].unitsPerDay", "must not be negative");
        assertRefused(change(today.minusDays(1), List.of(Map.of("from", today.minusDays(1).toString(), "unitsPerDay", 5))),
                "from", "already built");
        Map<String, Object> anonymous = new HashMap<>(Map.of("from", today.toString(),
                "periods", List.of(Map.of("from", today.toString(), "unitsPerDay", 5))));
        assertRefused(anonymous, "changedBy", "must not be blank");
        assertThat(snapshot(List.of())).isEqualTo(unchanged);
    }

    /** The movement a change made, as the preview reports it: by ETA (build date + transit days: they move together). */
    private static Map<String, Object> movement(Map<UUID, Dates> before, Map<UUID, Dates> after) {
        List<Integer> earlier = new ArrayList<>();
        List<Integer> later = new ArrayList<>();
        int unchanged = 0;
        int newlyEstimated = 0;
        int noLongerEstimated = 0;
        for (Map.Entry<UUID, Dates> entry : before.entrySet()) {
            LocalDate was = entry.getValue().eta();
            LocalDate is = after.get(entry.getKey()).eta();
            assertThat(after.get(entry.getKey()).build() == null).isEqualTo(is == null);
            if (Objects.equals(was, is)) {
                unchanged++;
            } else if (was == null) {
                newlyEstimated++;
            } else if (is == null) {
                noLongerEstimated++;
            } else if (is.isBefore(was)) {
                earlier.add((int) ChronoUnit.DAYS.between(is, was));
            } else {
                later.add((int) ChronoUnit.DAYS.between(was, is));
            }
        }
        Map<String, Object> movement = new LinkedHashMap<>();
        movement.put("queued", before.size());
        movement.put("movedEarlier", earlier.size());
        movement.put("movedLater", later.size());
        movement.put("unchanged", unchanged);
        movement.put("newlyEstimated", newlyEstimated);
        movement.put("noLongerEstimated", noLongerEstimated);
        movement.put("daysEarlier", days(earlier));
        movement.put("daysLater", days(later));
        return movement;
    }

    /** Nearest-rank percentiles: the smallest value with at least p% of the values at or below it. */
    private static Map<String, Object> days(List<Integer> days) {
        List<Integer> sorted = days.stream().sorted().toList();
        return Map.of("p50", rank(sorted, 0.50), "p95", rank(sorted, 0.95), "max", sorted.isEmpty() ? 0 : sorted.getLast());
    }

    private static int rank(List<Integer> sorted, double percentile) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(percentile * sorted.size()) - 1);
    }

    private record Dates(LocalDate build, LocalDate eta) {
    }

    /** What a preview must leave as it was: the plan and its history, the dates, the outbox, the projection's timer. */
    private record Snapshot(Object plan, long changes, Map<UUID, Dates> dates, long outboxRows, long recomputes) {
    }

    private Snapshot snapshot(List<UUID> ids) {
        return new Snapshot(plant.http().get().uri("/api/production/capacity-plan").retrieve().body(Map.class),
                jdbc.queryForObject("select count(*) from capacity_plan_change", Long.class), dates(ids),
                jdbc.queryForObject("select coalesce(pg_sequence_last_value(pg_get_serial_sequence('outbox_message', 'id')), 0)", Long.class),
                meters.get("su7.production.eta.recompute").tag("scope", "queue").timer().count());
    }

    private Map<UUID, Dates> dates(List<UUID> ids) {
        Map<UUID, Dates> dates = new HashMap<>();
        jdbc.query("select preorder_id, estimated_build_date, eta from production_queue where preorder_id = any(?)", row -> {
            dates.put(row.getObject(1, UUID.class), new Dates(row.getObject(2, LocalDate.class), row.getObject(3, LocalDate.class)));
        }, (Object) ids.toArray(UUID[]::new));
        return dates;
    }

    private List<UUID> place(int count) {
        List<UUID> ids = new ArrayList<>();
        List<PreorderPlaced> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            events.add(TestEvents.preorderPlaced(id, Variant.values()[i % Variant.values().length], CITIES.get(i % CITIES.size()),
                    plant.now().plusSeconds(i)));
        }
        plant.publish(events.toArray(PreorderPlaced[]::new));
        plant.awaitQueued(ids);
        return ids;
    }

    private static Map<String, Object> change(LocalDate from, List<Map<String, Object>> periods) {
        return Map.of("from", from.toString(), "periods", periods, "changedBy", "ops@plant", "reason", "what if");
    }

    private void assertRefused(Map<String, Object> body, String field, String reason) {
        ResponseEntity<Map> response = preview(body);
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat((List<Map<String, Object>>) response.getBody().get("errors")).as("errors of %s", body).anySatisfy(error -> {
            assertThat(error).containsEntry("field", field);
            assertThat((String) error.get("message")).contains(reason);
        });
    }

    private ResponseEntity<Map> preview(Map<String, Object> body) {
        return plant.http().post().uri("/api/production/capacity-plan/preview").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(Map.class);
    }

    private ResponseEntity<Map> put(Map<String, Object> body) {
        return plant.http().put().uri("/api/production/capacity-plan").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(Map.class);
    }
}
