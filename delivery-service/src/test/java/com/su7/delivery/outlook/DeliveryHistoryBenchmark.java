package com.su7.delivery.outlook;

import com.su7.delivery.DeliveryIntegrationTest;
import com.su7.delivery.TestClock;
import com.su7.delivery.schedule.ScheduleQueries;
import com.su7.messaging.benchmark.MessagingChores;
import com.su7.messaging.benchmark.MessagingChoresOff;
import com.su7.testsupport.DatabaseHistory;
import com.su7.testsupport.DeliveredPreorders;
import com.su7.testsupport.PeriodicQueries;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What delivery-service's periodic queries cost once a year of history is behind them: timed with only the live
 * part (preorders awaiting their unit, hand-overs booked ahead), then again after 1,000,000 delivered preorders joined
 * it. Not part of {@code ./mvnw verify}: {@code ./mvnw -Pbenchmark -pl delivery-service verify
 * -Dit.test=DeliveryHistoryBenchmark} writes {@code delivery-service/target/benchmarks/delivery-history.md}.
 */
@DeliveryIntegrationTest
// Nothing runs on its own while the queries are timed: the benchmark calls them.
@MessagingChoresOff
@TestPropertySource(properties = "su7.delivery.outlook.metrics-refresh=1h")
class DeliveryHistoryBenchmark {

    private static final int HISTORY = Integer.getInteger("benchmark.history", 1_000_000);
    private static final int LIVE = Integer.getInteger("benchmark.live", 50_000);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource database;
    @Autowired
    ScheduleQueries schedule;
    @Autowired
    Outlook outlook;
    @Autowired
    DeliveryGauges gauges;
    @Autowired
    ApplicationContext service;

    @Test
    void periodicQueriesDoNotGrowWithHistory() {
        LocalDate today = LocalDate.ofInstant(TestClock.START, ZoneOffset.UTC);
        PeriodicQueries queries = PeriodicQueries.onTheLocalStack()
                .add("DeliveryGauges.refresh (backlogs + held)", "every 5 s", gauges::refresh)
                .add("ScheduleQueries.backlogs", "gauges, summary", () -> schedule.backlogs(today))
                .add("ScheduleQueries.heldUnits", "gauges, summary", schedule::heldUnits)
                .add("Outlook.buildRate (builds + unitsBuilt)", "summary, each outlook of an awaiting preorder", outlook::buildRate)
                .add("Outlook.summary(14)", "GET /api/delivery/centers/summary", () -> outlook.summary(14));
        MessagingChores.timedIn(queries, service);

        fillLive(today);
        DatabaseHistory.vacuumAnalyze(database);
        queries.measure("live only");

        DeliveredPreorders.inDelivery(database, HISTORY, TestClock.START);
        DatabaseHistory.vacuumAnalyze(database);
        assertThat(jdbc.queryForObject("select count(*) from delivery_preorder", Long.class)).isGreaterThanOrEqualTo(HISTORY + LIVE);
        Map<String, PeriodicQueries.Measurement> withHistory = queries.measure("with %,d delivered".formatted(HISTORY));

        queries.write("delivery-history", "delivery-service: periodic queries against a year of history", """
                Live part: %,d preorders awaiting their unit, %,d hand-overs booked from today on, 100 units held. History:
                %,d preorders delivered over the year before (SCHEDULED, delivery dates past; 2%% of them CANCELLED), their
                day loads, 14 days of processed event ids, 2,000 dead letters (all but 4 resolved), the outbox empty.
                Durable PostgreSQL 17 (local stack), vacuum analyze after each fill, as autovacuum would have.""".formatted(
                LIVE, LIVE / 2, HISTORY));
        assertThat(withHistory).isNotEmpty();
    }

    /** What is on its way now: preorders awaiting their unit, hand-overs booked ahead, a few units held. */
    private void fillLive(LocalDate today) {
        Timestamp now = Timestamp.from(TestClock.START);
        jdbc.update("""
                insert into delivery_preorder (preorder_id, status, requested_city, center_city, variant, placed_at, updated_at)
                select gen_random_uuid()::text, 'AWAITING_UNIT', c.city, c.city, (array['SU7', 'SU7_PRO', 'SU7_MAX'])[1 + i % 3],
                       ?::timestamptz - interval '20 days' + i * interval '30 seconds', ?::timestamptz
                from generate_series(1, ?) as i
                join (select city, row_number() over (order by city) - 1 as n from center) c on c.n = i % 12""",
                now, now, LIVE);
        jdbc.update("""
                insert into delivery_preorder (preorder_id, status, requested_city, center_city, variant, placed_at, vin, built_at,
                                               build_date, delivery_date, revision, updated_at)
                select gen_random_uuid()::text, 'SCHEDULED', c.city, c.city, 'SU7',
                       ?::timestamptz - interval '40 days' + i * interval '30 seconds', 'LIVE' || lpad(i::text, 13, '0'),
                       ?::timestamptz - interval '3 days' + i * interval '5 seconds', ?::date - 3 + i / 2000,
                       ?::date + i / 2000, 1, ?::timestamptz
                from generate_series(1, ?) as i
                join (select city, row_number() over (order by city) - 1 as n from center) c on c.n = i % 12""",
                now, now, today, today, now, LIVE / 2);
        jdbc.update("""
                insert into delivery_preorder (preorder_id, status, variant, vin, built_at, build_date, updated_at)
                select gen_random_uuid()::text, 'HELD', 'SU7_MAX', 'HELD' || lpad(i::text, 13, '0'),
                       ?::timestamptz - interval '1 day', ?::date - 1, ?::timestamptz
                from generate_series(1, 100) as i""", now, today, now);
        DeliveredPreorders.bookDayLoads(database, "delivery_date >= ?", today);
    }
}
