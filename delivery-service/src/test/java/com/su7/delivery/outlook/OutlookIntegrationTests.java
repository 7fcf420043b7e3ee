package com.su7.delivery.outlook;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.Topics;
import com.su7.delivery.DeliveryIntegrationTest;
import com.su7.delivery.DeliveryTestSupport;
import com.su7.delivery.DeliveryTestSupport.Response;
import com.su7.delivery.TestClock;
import com.su7.delivery.TestEvents;
import com.su7.delivery.schedule.ScheduleQueries;
import com.su7.messaging.count.KeptCounts;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.su7.delivery.DeliveryTestSupport.PATIENCE;
import static com.su7.delivery.DeliveryTestSupport.createCenter;
import static com.su7.delivery.DeliveryTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The ETA projection, the centre summary and the gauges, over real events. */
@DeliveryIntegrationTest
class OutlookIntegrationTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 10);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    TestClock clock;
    @Autowired
    ScheduleQueries schedule;
    @Autowired
    KeptCounts keptCounts;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    Outlook outlook;
    @Autowired
    FactoryCalendar calendar;

    @Test
    void showsEachStageOfAPreordersDeliveryWithItsEstimate() throws Exception {
        String city = createCenter(jdbc, 1, 2);
        // builds seen, so there is a rate to estimate from, and their partition read past them (a build at the very time
        // a partition is read up to counts once a later one is read: its day's other units may still be on their way)
        String builtFirst = TestEvents.preorderId();
        kafka.send(Topics.PREORDER_PLACED, builtFirst, TestEvents.placed(builtFirst, city, clock.instant().minusSeconds(7200))).get();
        kafka.send(new ProducerRecord<>(Topics.UNIT_BUILT, 0, builtFirst,
                TestEvents.built(builtFirst, TestEvents.vin(), clock.instant().minusMillis(1)))).get();
        String nobodysYet = TestEvents.preorderId();
        kafka.send(new ProducerRecord<>(Topics.UNIT_BUILT, 0, nobodysYet, TestEvents.built(nobodysYet, TestEvents.vin(), clock.instant()))).get();
        String earlier = TestEvents.preorderId();
        String later = TestEvents.preorderId();
        kafka.send(Topics.PREORDER_PLACED, earlier, TestEvents.placed(earlier, city, clock.instant().minusSeconds(60))).get();
        kafka.send(Topics.PREORDER_PLACED, later, TestEvents.placed(later, city, clock.instant().minusSeconds(30))).get();

        JsonNode scheduled = await().atMost(PATIENCE).until(() -> get(port, "/api/delivery/preorders/{id}", builtFirst).body(),
                body -> body != null && "SCHEDULED".equals(body.path("status").asString()));
        assertThat(scheduled.get("deliveryDate").asString()).isEqualTo(TODAY.plusDays(2).toString());
        assertThat(scheduled.get("revision").asInt()).isEqualTo(1);
        assertThat(scheduled.get("center").asString()).isEqualTo(city + " Delivery Center");
        assertThat(scheduled.get("estimate").get("deliveryDate").asString()).isEqualTo(TODAY.plusDays(2).toString());
        assertThat(scheduled.get("estimate").get("basis").asString()).isEqualTo("SCHEDULED");

        JsonNode first = await().atMost(PATIENCE).until(() -> get(port, "/api/delivery/preorders/{id}", earlier).body(),
                body -> body != null && "AWAITING_UNIT".equals(body.path("status").asString()));
        JsonNode second = await().atMost(PATIENCE).until(() -> get(port, "/api/delivery/preorders/{id}", later).body(),
                body -> body != null && "AWAITING_UNIT".equals(body.path("status").asString()));
        assertThat(first.get("estimate").get("basis").asString()).isEqualTo("BUILD_RATE_AND_CENTER_BACKLOG");
        assertThat(first.get("estimate").get("buildRatePerDay").asDouble()).isPositive();
        LocalDate firstEta = LocalDate.parse(first.get("estimate").get("deliveryDate").asString());
        LocalDate secondEta = LocalDate.parse(second.get("estimate").get("deliveryDate").asString());
        // capacity 1 a day: day +2 is taken by the built unit, so the earlier preorder gets day +3 at best
        assertThat(firstEta).isAfterOrEqualTo(TODAY.plusDays(3));
        assertThat(secondEta).as("one a day: the later preorder comes after the earlier one").isAfter(firstEta);
        assertThat(second.get("estimate").get("unitsAhead").asLong()).isGreaterThan(first.get("estimate").get("unitsAhead").asLong());
        assertThat(first.get("deliveryDate").isNull()).isTrue();
    }

    @Test
    void aHeldUnitShowsAsHeldAndIsCounted() throws Exception {
        String preorderId = TestEvents.preorderId();
        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();

        JsonNode held = await().atMost(PATIENCE).until(() -> get(port, "/api/delivery/preorders/{id}", preorderId).body(),
                body -> body != null && "HELD".equals(body.path("status").asString()));
        assertThat(held.get("center").isNull()).isTrue();
        assertThat(held.get("buildDate").asString()).isEqualTo(TODAY.toString());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(gauge("su7_delivery_held", "")).isGreaterThanOrEqualTo(1));
    }

    @Test
    void aCancelledPreorderShowsAsCancelledAndIsNoLongerCountedAtItsCentre() throws Exception {
        String city = createCenter(jdbc, 5, 1);
        String scheduled = TestEvents.preorderId();
        String awaiting = TestEvents.preorderId();
        String unseen = TestEvents.preorderId();
        kafka.send(Topics.PREORDER_PLACED, scheduled, TestEvents.placed(scheduled, city, clock.instant())).get();
        kafka.send(Topics.UNIT_BUILT, scheduled, TestEvents.built(scheduled, TestEvents.vin(), clock.instant())).get();
        kafka.send(Topics.PREORDER_PLACED, awaiting, TestEvents.placed(awaiting, city, clock.instant())).get();
        await().atMost(PATIENCE).until(() -> centerSummary(city),
                summary -> summary != null && summary.get("scheduledAhead").asLong() == 1 && summary.get("awaitingUnits").asLong() == 1);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(gauge("su7_delivery_backlog", "center=\"" + city + "\"")).isEqualTo(1);
            assertThat(gauge("su7_delivery_scheduled_ahead", "center=\"" + city + "\"")).isEqualTo(1);
        });

        for (String preorderId : List.of(scheduled, awaiting, unseen)) {
            kafka.send(Topics.PREORDER_CANCELLED, preorderId, TestEvents.cancelled(preorderId, clock.instant())).get();
        }

        for (String preorderId : List.of(scheduled, awaiting, unseen)) {
            JsonNode cancelled = await().atMost(PATIENCE).until(() -> get(port, "/api/delivery/preorders/{id}", preorderId).body(),
                    body -> body != null && "CANCELLED".equals(body.path("status").asString()));
            assertThat(cancelled.get("cancelledAt").asString()).isEqualTo(clock.instant().toString());
            assertThat(cancelled.get("deliveryDate").isNull()).as("not scheduled").isTrue();
            assertThat(cancelled.get("estimate").get("basis").asString()).isEqualTo("CANCELLED");
            assertThat(cancelled.get("estimate").get("deliveryDate").isNull()).isTrue();
        }
        JsonNode center = centerSummary(city);
        assertThat(center.get("scheduledAhead").asLong()).isZero();
        assertThat(center.get("awaitingUnits").asLong()).isZero();
        assertThat(center.get("days").get(1).get("free").asInt()).as("the freed slot").isEqualTo(5);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(gauge("su7_delivery_backlog", "center=\"" + city + "\"")).isZero();
            assertThat(gauge("su7_delivery_scheduled_ahead", "center=\"" + city + "\"")).isZero();
        });
        assertThat(gauge("su7_delivery_cancelled_total", "stage=\"SCHEDULED\"")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnknownPreorderIsNotFound() {
        Response response = get(port, "/api/delivery/preorders/{id}", TestEvents.preorderId());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("type").asString()).isEqualTo("urn:su7:problem:unknown-preorder");
        assertThat(response.body().get("title").asString()).isEqualTo("Unknown preorder");
    }

    @Test
    void summarisesEachCentresBookingsFreeSlotsAndBacklog() throws Exception {
        String city = createCenter(jdbc, 2, 1);
        List<String> built = IntStream.range(0, 3).mapToObj(i -> TestEvents.preorderId()).toList();
        for (String preorderId : built) {
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
            kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();
        }
        String waiting = TestEvents.preorderId();
        kafka.send(Topics.PREORDER_PLACED, waiting, TestEvents.placed(waiting, city, clock.instant())).get();

        JsonNode center = await().atMost(PATIENCE).until(() -> centerSummary(city),
                summary -> summary != null && summary.get("scheduledAhead").asLong() == 3 && summary.get("awaitingUnits").asLong() == 1);
        JsonNode days = center.get("days");
        assertThat(days).hasSize(5);
        assertThat(days.get(0).get("date").asString()).isEqualTo(TODAY.toString());
        assertThat(days.get(0).get("free").asInt()).isEqualTo(2);
        assertThat(days.get(1).get("scheduled").asInt()).isEqualTo(2);
        assertThat(days.get(1).get("free").asInt()).isZero();
        assertThat(days.get(2).get("scheduled").asInt()).isEqualTo(1);
        assertThat(days.get(2).get("free").asInt()).isEqualTo(1);
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(gauge("su7_delivery_backlog", "center=\"" + city + "\"")).isEqualTo(1));
        assertThat(gauge("su7_delivery_scheduled_total", "center=\"" + city + "\"")).isEqualTo(3);
    }

    @Test
    void theBacklogsAreTheCountsOfThePreordersAtEachCentre() throws Exception {
        String city = createCenter(jdbc, 1, 1);
        List<String> built = IntStream.range(0, 3).mapToObj(i -> TestEvents.preorderId()).toList();
        for (String preorderId : built) {
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
            kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();
        }
        String awaiting = TestEvents.preorderId();
        String cancelledAwaiting = TestEvents.preorderId();
        for (String preorderId : List.of(awaiting, cancelledAwaiting)) {
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
        }
        String heldFirst = TestEvents.preorderId();
        kafka.send(Topics.UNIT_BUILT, heldFirst, TestEvents.built(heldFirst, TestEvents.vin(), clock.instant())).get();
        kafka.send(Topics.PREORDER_PLACED, heldFirst, TestEvents.placed(heldFirst, city, clock.instant())).get();
        await().atMost(PATIENCE).until(() -> centerSummary(city),
                summary -> summary != null && summary.get("scheduledAhead").asLong() == 4 && summary.get("awaitingUnits").asLong() == 2);
        // a booked hand-over freed (the later ones move earlier) and an awaiting preorder gone
        for (String preorderId : List.of(built.get(1), cancelledAwaiting)) {
            kafka.send(Topics.PREORDER_CANCELLED, preorderId, TestEvents.cancelled(preorderId, clock.instant())).get();
        }

        JsonNode center = await().atMost(PATIENCE).until(() -> centerSummary(city),
                summary -> summary != null && summary.get("scheduledAhead").asLong() == 3 && summary.get("awaitingUnits").asLong() == 1);
        assertThat(IntStream.range(1, 5).map(day -> center.get("days").get(day).get("scheduled").asInt()).toArray())
                .as("the hand-overs after the freed one moved a day earlier").containsExactly(1, 1, 1, 0);
        assertBacklogsAreTheCounts();
        assertThat(keptCounts.foldAll()).as("counts that failed to fold").isZero();
        assertBacklogsAreTheCounts();
        assertThat(jdbc.queryForObject("select count(*) from delivery_awaiting_delta where center_city = ?", Long.class, city))
                .as("folded into one row").isEqualTo(1);
    }

    /** Every centre's backlog and every preorder counted, in one snapshot (listeners of earlier tests may still be writing). */
    private void assertBacklogsAreTheCounts() {
        TransactionTemplate snapshot = new TransactionTemplate(transactions.getTransactionManager());
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.executeWithoutResult(status -> {
            Map<String, Long> awaiting = new HashMap<>();
            Map<String, Long> ahead = new HashMap<>();
            jdbc.query("select center_city, count(*) from delivery_preorder where status = 'AWAITING_UNIT' group by center_city",
                    (RowCallbackHandler) rs -> awaiting.put(rs.getString(1), rs.getLong(2)));
            jdbc.query("select center_city, count(*) from delivery_preorder where status = 'SCHEDULED' and delivery_date >= ? group by center_city",
                    (RowCallbackHandler) rs -> ahead.put(rs.getString(1), rs.getLong(2)), TODAY);
            Map<String, ScheduleQueries.Backlog> backlogs = schedule.backlogs(TODAY);
            for (String city : jdbc.queryForList("select city from center", String.class)) {
                ScheduleQueries.Backlog backlog = backlogs.getOrDefault(city, new ScheduleQueries.Backlog(0, 0));
                assertThat(backlog.awaitingUnits()).as("awaiting at %s", city).isEqualTo(awaiting.getOrDefault(city, 0L));
                assertThat(backlog.scheduledAhead()).as("booked ahead at %s", city).isEqualTo(ahead.getOrDefault(city, 0L));
            }
        });
    }

    @Test
    void theBuildRateCountsTheBuildsUpToWhereEveryPartitionHasBeenRead() {
        Duration day = calendar.dayLength();
        Instant now = clock.instant();
        Instant partitionBehindReadUpTo = now.minus(day.multipliedBy(3));
        BuildRate rate = transactions.execute(status -> {
            status.setRollbackOnly();
            jdbc.update("delete from delivery_preorder");
            jdbc.update("delete from partition_read where consumer = 'delivery.unit-built'");
            // 100 units a factory day on each of two partitions; partition 1 is read only up to three days ago.
            builds(now.minus(day.multipliedBy(10)), now.minus(day.dividedBy(24)), day, "p0-");
            builds(now.minus(day.multipliedBy(10)), partitionBehindReadUpTo, day, "p1-");
            jdbc.update("insert into partition_read (consumer, topic_partition, read_up_to) values ('delivery.unit-built', 0, ?), ('delivery.unit-built', 1, ?)",
                    Timestamp.from(now.minus(day.dividedBy(24))), Timestamp.from(partitionBehindReadUpTo));
            return outlook.buildRate();
        });

        // The 7 days up to where both partitions are read: 200 a day (a window ending after the latest build: 157).
        assertThat(rate.unitsPerDay()).isCloseTo(200, within(1.0));
    }

    /** 100 units a factory day from {@code from} to {@code to}, held for preorders not placed. */
    private void builds(Instant from, Instant to, Duration day, String prefix) {
        jdbc.update("""
                insert into delivery_preorder (preorder_id, status, variant, vin, built_at, build_date, updated_at)
                select ? || n, 'HELD', 'SU7', 'TEST' || n, at, at::date, at
                from generate_series(cast(? as timestamptz), cast(? as timestamptz), make_interval(secs => ?)) with ordinality as b(at, n)""",
                prefix, Timestamp.from(from), Timestamp.from(to), day.toMillis() / 100 / 1000.0);
    }

    @Test
    void refusesASummaryOfAnUnreasonableNumberOfDays() {
        Response response = get(port, "/api/delivery/centers/summary?days=0");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("errors").get(0).get("field").asString()).isEqualTo("days");
    }

    private JsonNode centerSummary(String city) {
        JsonNode summary = get(port, "/api/delivery/centers/summary?days=5").body();
        for (JsonNode center : summary.get("centers")) {
            if (center.get("city").asString().equals(city)) {
                return center;
            }
        }
        return null;
    }

    private String scrape() {
        return DeliveryTestSupport.client(port).get().uri("/actuator/prometheus").retrieve().body(String.class);
    }

    /** The value of the first sample of the metric whose labels contain {@code labels}, or -1. */
    private double gauge(String name, String labels) {
        return scrape().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> line.contains(labels))
                .findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElse(-1.0);
    }
}
