package com.su7.production.queue;

import com.su7.contract.DeliveryCities;
import com.su7.contract.PreorderId;
import com.su7.events.Variant;
import com.su7.messaging.benchmark.MessagingChores;
import com.su7.messaging.benchmark.MessagingChoresOff;
import com.su7.production.support.IntegrationTestBase;
import com.su7.testsupport.DatabaseHistory;
import com.su7.testsupport.DeliveredPreorders;
import com.su7.testsupport.PeriodicQueries;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What production-service's periodic queries cost once a year of history is behind them: timed with only the live
 * queue, then again after 1,000,000 built and delivered preorders joined it. Not part of {@code ./mvnw verify}:
 * {@code ./mvnw -Pbenchmark -pl production-service verify -Dit.test=ProductionHistoryBenchmark} writes
 * {@code production-service/target/benchmarks/production-history.md}.
 */
// Nothing runs on its own while the queries are timed: the benchmark calls them.
@MessagingChoresOff
@TestPropertySource(properties = {"production.lines.poll-interval=1h", "production.eta.projection-interval=1h"})
class ProductionHistoryBenchmark extends IntegrationTestBase {

    private static final int HISTORY = Integer.getInteger("benchmark.history", 1_000_000);
    private static final int LIVE = Integer.getInteger("benchmark.live", 50_000);
    private static final int TAIL = 1_000;
    private static final List<String> CITIES = List.of("Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Wuhan", "Lhasa");

    @Autowired
    DataSource database;
    @Autowired
    ProductionQueue queue;
    @Autowired
    QueueEtaProjection projection;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ApplicationContext service;

    @Test
    void periodicQueriesDoNotGrowWithHistory() {
        LocalDate today = plant.today();
        PeriodicQueries queries = PeriodicQueries.onTheLocalStack()
                .add("ProductionQueue.length", "each scrape (su7.production.queue.length), each factory day", queue::length)
                .add("ProductionQueue.lengthByVariant", "GET /api/production/summary", queue::lengthByVariant)
                .add("ProductionQueue.builtPerDay (7 days)", "GET /api/production/summary", () -> queue.builtPerDay(today.minusDays(7), today.minusDays(1)))
                .add("ProductionQueue.placedPerDay (7 days)", "GET /api/production/summary", () -> queue.placedPerDay(today.minusDays(7), today.minusDays(1)))
                .add("ProductionQueue.nextInLine(1,200)", "each factory day", () -> queue.nextInLine(1_200))
                .add("QueueEtaProjection.recomputeAll", "each capacity change; daily with the lines off", projection::recomputeAll)
                .add("QueueEtaProjection, a round after the last %,d queued".formatted(TAIL), "every 200 ms after preorders joined or left",
                        this::projectTheTail);
        MessagingChores.timedIn(queries, service);

        fillLive();
        projection.recomputeAll();
        DatabaseHistory.vacuumAnalyze(database);
        queries.measure("live only");

        DeliveredPreorders.inProduction(database, HISTORY, clock.instant(), today);
        DatabaseHistory.vacuumAnalyze(database);
        assertThat(jdbc.queryForObject("select count(*) from production_queue", Long.class)).isGreaterThanOrEqualTo(HISTORY + LIVE);
        queries.measure("with %,d delivered".formatted(HISTORY));

        queries.write("production-history", "production-service: periodic queries against a year of history", """
                Live part: %,d preorders queued (their ETAs projected). History: %,d preorders of the year before, built
                and delivery scheduled (2%% of them CANCELLED while queued), 14 days of processed event ids, 2,000 dead
                letters (all but 4 resolved), the outbox empty. Durable PostgreSQL 17 (local stack), vacuum analyze after
                each fill, as autovacuum would have.""".formatted(LIVE, HISTORY));
    }

    private void fillLive() {
        jdbc.update("""
                insert into production_queue (preorder_id, variant, delivery_city, city_key, placed_at, queued_at)
                select gen_random_uuid(), (array['SU7', 'SU7_PRO', 'SU7_MAX'])[1 + i % 3],
                       (?::text[])[1 + i % 7], (?::text[])[1 + i % 7],
                       ?::timestamptz - interval '20 days' + i * interval '30 seconds', ?::timestamptz
                from generate_series(1, ?) as i""",
                cities(), cityKeys(), Timestamp.from(clock.instant()), Timestamp.from(clock.instant()), LIVE);
    }

    /** A round of the projection after the last {@link #TAIL} preorders of the queue joined it (a launch burst). */
    private void projectTheTail() {
        QueuedPreorder firstOfTail = jdbc.queryForObject("""
                select preorder_id, placed_at from production_queue where status = 'QUEUED'
                order by placed_at desc, preorder_id desc offset ? limit 1""",
                (row, n) -> new QueuedPreorder(new PreorderId(row.getObject(1, UUID.class)), Variant.SU7, "",
                        row.getTimestamp(2).toInstant()), TAIL - 1);
        transactions.executeWithoutResult(status -> projection.projectAfterCommit(List.of(firstOfTail)));
        projection.projectQueuedSinceLastRound();
    }

    private static String[] cities() {
        return CITIES.toArray(String[]::new);
    }

    private static String[] cityKeys() {
        return CITIES.stream().map(DeliveryCities::keyOf).toArray(String[]::new);
    }
}
