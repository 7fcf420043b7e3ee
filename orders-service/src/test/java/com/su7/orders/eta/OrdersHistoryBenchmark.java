package com.su7.orders.eta;

import com.su7.messaging.benchmark.MessagingChores;
import com.su7.messaging.benchmark.MessagingChoresOff;
import com.su7.orders.OrdersIntegrationTest;
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

import static com.su7.orders.TestClockConfiguration.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What orders-service's periodic queries cost once a year of history is behind them: timed with only the live part
 * (unbuilt preorders), then again after 1,000,000 delivered preorders joined it. Not part of {@code ./mvnw verify}:
 * {@code ./mvnw -Pbenchmark -pl orders-service verify -Dit.test=OrdersHistoryBenchmark} writes
 * {@code orders-service/target/benchmarks/orders-history.md}.
 */
@OrdersIntegrationTest
// Nothing runs on its own while the queries are timed: the benchmark calls them.
@MessagingChoresOff
@TestPropertySource(properties = {"orders.eta.refresh-interval=1h", "orders.eta.assumed-daily-rate=300"})
class OrdersHistoryBenchmark {

    private static final int HISTORY = Integer.getInteger("benchmark.history", 1_000_000);
    private static final int LIVE = Integer.getInteger("benchmark.live", 50_000);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource database;
    @Autowired
    EtaRefresher refresher;
    @Autowired
    BuildRates rates;
    @Autowired
    UnbuiltQueue queue;
    @Autowired
    PreorderStatusCounts statusCounts;
    @Autowired
    ApplicationContext service;

    @Test
    void periodicQueriesDoNotGrowWithHistory() {
        PeriodicQueries queries = PeriodicQueries.onTheLocalStack()
                .add("EtaRefresher.refresh (no ETA moves)", "every 5 s when builds or the queue changed", refresher::refresh)
                .add("BuildRates.recompute", "each refresh (su7.orders.eta.build-rate)", rates::recompute)
                .add("UnbuiltQueue.length", "each placement batch", queue::length)
                .add("PreorderStatusCounts.byStatus", "GET /api/preorders/stats, at most once a second (the console: every 2 s)", statusCounts::byStatus);
        MessagingChores.timedIn(queries, service);

        fillLive();
        settle();
        queries.measure("live only");

        DeliveredPreorders.inOrders(database, HISTORY, NOW);
        settle();
        assertThat(jdbc.queryForObject("select count(*) from preorder_eta", Long.class)).isGreaterThanOrEqualTo(HISTORY + LIVE);
        queries.measure("with %,d delivered".formatted(HISTORY));

        queries.write("orders-history", "orders-service: periodic queries against a year of history", """
                Live part: %,d unbuilt preorders (PLACED, their ETA shown once). History: %,d preorders of the year before,
                built and delivery scheduled (3 history rows each: placed, built, scheduled; their unit_built and
                delivery_schedule rows), 2%% of them CANCELLED while unbuilt, 14 days of processed event ids, 2,000 dead
                letters (all but 4 resolved), the outbox empty. Durable PostgreSQL 17 (local stack), vacuum analyze after
                each fill, as autovacuum would have.""".formatted(LIVE, HISTORY));
    }

    /** As the service leaves the database between refreshes: ETAs re-estimated, the outbox published, statistics kept. */
    private void settle() {
        refresher.refresh();
        jdbc.update("delete from outbox_message");
        DatabaseHistory.vacuumAnalyze(database);
    }

    /** Unbuilt preorders placed over the last weeks, each shown its first ETA. */
    private void fillLive() {
        Timestamp now = Timestamp.from(NOW);
        jdbc.update("""
                insert into preorder (id, idempotency_key, request_hash, customer_id, variant, exterior_color, delivery_city,
                                      deposit, channel, entry_point, placed_at, accepted_at)
                select gen_random_uuid(), 'live-' || i, 'hash', 'customer-' || i, (array['SU7', 'SU7_PRO', 'SU7_MAX'])[1 + i % 3],
                       'Grey', 'Beijing', 5000, 'APP', 'APP_EVENT', placed, placed
                from generate_series(1, ?) as i,
                     lateral (select ?::timestamptz - interval '20 days' + i * interval '30 seconds' as placed) p""", LIVE, now);
        jdbc.update("""
                insert into preorder_eta (preorder_id, variant, transit_days, placed_at, status, eta_earliest, eta_latest, updated_at)
                select id, variant, 1, placed_at, 'PLACED', ?::date + 30, ?::date + 40, placed_at
                from preorder where idempotency_key like 'live-%'""", now, now);
        jdbc.update("""
                insert into eta_history (preorder_id, at, cause, new_earliest, new_latest, revision, status)
                select preorder_id, placed_at, 'PLACED', eta_earliest, eta_latest, 1, 'PLACED'
                from preorder_eta where status = 'PLACED'""");
        jdbc.update("insert into eta_queue_delta (delta) values (?)", LIVE);
    }
}
