package com.su7.delivery.center;

import com.su7.contract.Topics;
import com.su7.delivery.DeliveryIntegrationTest;
import com.su7.delivery.DeliveryTestSupport.Response;
import com.su7.delivery.TestClock;
import com.su7.delivery.TestEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.su7.delivery.DeliveryTestSupport.PATIENCE;
import static com.su7.delivery.DeliveryTestSupport.createCenter;
import static com.su7.delivery.DeliveryTestSupport.get;
import static com.su7.delivery.DeliveryTestSupport.post;
import static com.su7.delivery.DeliveryTestSupport.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ops see which hand-overs a centre's new capacity would move, and by how much, before they change it. */
@DeliveryIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class CenterCapacityPreviewIntegrationTests {

    private static final String PREVIEW = "/api/delivery/centers/{city}/capacity-preview";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    MeterRegistry meters;
    @Autowired
    TestClock clock;

    @Test
    void previewsTheHandOversARaiseWouldMoveEarlierAsTheChangeThenDoesAndChangesNothing(CapturedOutput output) throws Exception {
        // one a day from build date + 2: the five are booked on days +2 to +6
        String city = createCenter(jdbc, 1, 2);
        List<String> preorderIds = schedule(city, 5);
        Snapshot unchanged = snapshot(city, preorderIds);
        int logged = output.getAll().length();

        Response preview = post(port, """
                {"dailyCapacity": 3}""", PREVIEW, city);

        assertThat(preview.status()).as(String.valueOf(preview.body())).isEqualTo(200);
        assertThat(snapshot(city, preorderIds)).as("nothing changed by the preview").isEqualTo(unchanged);
        assertThat(output.getAll().substring(logged)).as("no log line claims a change").doesNotContain("capacity of");
        JsonNode previewed = preview.body();
        assertThat(previewed.get("city").asString()).isEqualTo(city);
        assertThat(previewed.get("currentCapacity").asInt()).isEqualTo(1);
        assertThat(previewed.get("newCapacity").asInt()).isEqualTo(3);
        assertThat(previewed.get("direction").asString()).isEqualTo("RAISE");
        // three a day: +3 and +4 move to +2, +5 and +6 to +3
        assertThat(previewed.get("handOversMovedEarlier").asInt()).isEqualTo(4);
        assertThat(days(previewed.get("daysEarlier"))).isEqualTo(List.of(2, 3, 3));

        Map<String, LocalDate> before = deliveryDates(preorderIds);
        Response applied = put(port, """
                {"dailyCapacity": 3, "changedBy": "ops.li", "reason": "third bay"}""", "/api/delivery/centers/{city}", city);

        assertThat(applied.status()).isEqualTo(200);
        assertThat(applied.body().get("handOversMovedEarlier").asInt()).isEqualTo(previewed.get("handOversMovedEarlier").asInt());
        Map<String, LocalDate> after = deliveryDates(preorderIds);
        List<Integer> moved = preorderIds.stream().map(id -> (int) ChronoUnit.DAYS.between(after.get(id), before.get(id)))
                .filter(days -> days > 0).sorted().toList();
        assertThat(moved).hasSize(4);
        assertThat(days(previewed.get("daysEarlier"))).as("p50, p95 and max of what the change did")
                .isEqualTo(List.of(rank(moved, 0.50), rank(moved, 0.95), moved.getLast()));
        assertThat(output.getAll().substring(logged)).as("the change itself is logged").contains("capacity of");
    }

    @Test
    void previewsThatLoweringOrKeepingTheCapacityMovesNobody() throws Exception {
        String city = createCenter(jdbc, 2, 1);
        List<String> preorderIds = schedule(city, 5);
        Snapshot unchanged = snapshot(city, preorderIds);

        JsonNode lowered = post(port, """
                {"dailyCapacity": 1}""", PREVIEW, city).body();
        JsonNode kept = post(port, """
                {"dailyCapacity": 2}""", PREVIEW, city).body();

        assertThat(lowered.get("direction").asString()).isEqualTo("LOWER");
        assertThat(lowered.get("handOversMovedEarlier").asInt()).isZero();
        assertThat(days(lowered.get("daysEarlier"))).isEqualTo(List.of(0, 0, 0));
        assertThat(lowered.get("note").asString()).contains("keeps every promised date");
        assertThat(kept.get("direction").asString()).isEqualTo("UNCHANGED");
        assertThat(kept.get("handOversMovedEarlier").asInt()).isZero();
        assertThat(snapshot(city, preorderIds)).isEqualTo(unchanged);
    }

    @Test
    void refusesAnInvalidCapacityWithProblemDetailsAndAnUnknownCentreWithNotFound() {
        String city = createCenter(jdbc, 40, 2);

        Response zero = post(port, """
                {"dailyCapacity": 0}""", PREVIEW, city);
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.contentType()).startsWith("application/problem+json");
        assertThat(zero.body().get("type").asString()).isEqualTo("urn:su7:problem:invalid-request");
        assertThat(zero.body().get("errors").get(0).get("field").asString()).isEqualTo("dailyCapacity");
        assertThat(zero.body().get("errors").get(0).get("message").asString()).contains("at least 1");
        assertThat(post(port, """
                {"dailyCapacity": 100000}""", PREVIEW, city).body().get("errors").get(0).get("message").asString()).contains("at most 5000");
        assertThat(post(port, "{}", PREVIEW, city).body().get("errors").get(0).get("message").asString()).isEqualTo("is required");
        Response notJson = post(port, "{", PREVIEW, city);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().get("errors").get(0).get("field").asString()).isEqualTo("body");

        Response unknown = post(port, """
                {"dailyCapacity": 10}""", PREVIEW, "Atlantis");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.body().get("detail").asString()).contains("Atlantis");
        assertThat(get(port, "/api/delivery/centers/{city}", city).body().get("dailyCapacity").asInt()).isEqualTo(40);
    }

    /** Places and builds the preorders at the centre, one after another, and waits until every hand-over is booked. */
    private List<String> schedule(String city, int count) throws Exception {
        List<String> preorderIds = IntStream.range(0, count).mapToObj(i -> TestEvents.preorderId()).toList();
        for (int i = 0; i < count; i++) {
            String preorderId = preorderIds.get(i);
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant().minusSeconds(600 - i))).get();
            kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery_preorder where center_city = ? and status = 'SCHEDULED'", Integer.class, city)).isEqualTo(count));
        return preorderIds;
    }

    /** What a preview must leave as it was: the centre and its history, the bookings and their revisions, the loads, the outbox, the counters. */
    private record Snapshot(String center, int changes, List<Map<String, Object>> bookings, List<Map<String, Object>> loads,
                            long outboxRows, double rescheduled) {
    }

    private Snapshot snapshot(String city, List<String> preorderIds) {
        Counter rescheduled = meters.find("su7.delivery.rescheduled").tag("center", city).counter();
        return new Snapshot(get(port, "/api/delivery/centers/{city}", city).body().toString(),
                get(port, "/api/delivery/centers/{city}/capacity-changes", city).body().size(),
                jdbc.queryForList("select preorder_id, delivery_date, revision from delivery_preorder where preorder_id = any(?) order by preorder_id",
                        (Object) preorderIds.toArray(String[]::new)),
                jdbc.queryForList("select day, load from center_day_load where city = ? order by day", city),
                jdbc.queryForObject("select coalesce(pg_sequence_last_value(pg_get_serial_sequence('outbox_message', 'id')), 0)", Long.class),
                rescheduled == null ? 0 : rescheduled.count());
    }

    private Map<String, LocalDate> deliveryDates(List<String> preorderIds) {
        Map<String, LocalDate> dates = new HashMap<>();
        jdbc.query("select preorder_id, delivery_date from delivery_preorder where preorder_id = any(?)",
                row -> {
                    dates.put(row.getString(1), row.getObject(2, LocalDate.class));
                }, (Object) preorderIds.toArray(String[]::new));
        return dates;
    }

    private static List<Integer> days(JsonNode days) {
        return List.of(days.get("p50").asInt(), days.get("p95").asInt(), days.get("max").asInt());
    }

    /** Nearest rank: the smallest value with at least that share of the values at or below it. */
    private static int rank(List<Integer> sorted, double percentile) {
        return sorted.get((int) Math.ceil(percentile * sorted.size()) - 1);
    }
}
