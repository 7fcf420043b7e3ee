package com.su7.orders;

import com.su7.contract.Topics;
import com.su7.events.Variant;
import com.su7.orders.eta.EtaRefresher;
import com.su7.testsupport.BenchmarkReport;
import com.su7.testsupport.KafkaProbe;
import com.su7.testsupport.SharedLocalStack;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static com.su7.orders.TestClockConfiguration.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What orders-service sustains on a durable PostgreSQL ({@code fsync} and {@code synchronous_commit} on): the
 * set-based ETA refresh over a backlog of 100,000 unbuilt preorders, REST placements behind that
 * backlog, and app requests taken from Kafka. Not part of {@code ./mvnw verify}: run it with
 * {@code ./mvnw -Pbenchmark -pl orders-service verify}; it writes {@code orders-service/target/benchmarks/orders.md}.
 */
@OrdersIntegrationTest
// The production refresh interval: the tests' 200 ms would re-rank the 100,000-deep queue all the time.
@TestPropertySource(properties = "orders.eta.refresh-interval=5s")
class OrdersBenchmark {

    private static final int BACKLOG = Integer.getInteger("benchmark.backlog", 100_000);
    private static final int REST_PREORDERS = Integer.getInteger("benchmark.rest-preorders", 2_000);
    private static final int APP_REQUESTS = Integer.getInteger("benchmark.app-requests", 10_000);
    private static final int CLIENTS = 8;
    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EtaRefresher refresher;

    @Test
    void measuresRefreshAndIntakeRates() throws Exception {
        assertThat(jdbc.queryForObject("show fsync", String.class)).as("benchmarks run durable").isEqualTo("on");
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            runs.add(oneRun());
        }
        BenchmarkReport.write("orders", "orders-service",
                "%d runs, durable PostgreSQL, one broker, %d cores; each run starts from empty tables."
                        .formatted(runs.size(), Runtime.getRuntime().availableProcessors()),
                runs, BenchmarkReport.medians(runs));
    }

    private Map<String, Double> oneRun() throws Exception {
        Map<String, Double> results = new LinkedHashMap<>();
        jdbc.update("delete from eta_history");
        jdbc.update("delete from unit_built");
        jdbc.update("delete from preorder_eta");
        jdbc.update("delete from preorder");
        jdbc.update("delete from eta_queue_delta");
        jdbc.update("vacuum analyze");
        seedBacklog(Variant.SU7, BACKLOG);

        long start = System.nanoTime();
        int changed = refresher.refresh();
        results.put("refresh of %,d unbuilt preorders, every ETA changes (ms)".formatted(BACKLOG), millis(start));
        assertThat(changed).isEqualTo(BACKLOG);

        start = System.nanoTime();
        assertThat(refresher.refresh()).isZero();
        results.put("refresh of %,d, no ETA changes (ms)".formatted(BACKLOG), millis(start));

        // The line speeds up: a week of builds at 2,000 a day, for preorders of other systems' tests.
        jdbc.update("""
                insert into unit_built (preorder_id, vin, variant, built_at)
                select gen_random_uuid(), 'LSU7BENCH' || lpad(g::text, 8, '0'), 'SU7', ?::timestamptz - (g * interval '302 seconds')
                from generate_series(1, 2000 * 7) g""", Timestamp.from(NOW));
        start = System.nanoTime();
        changed = refresher.refresh();
        results.put("refresh of %,d after the rate rises (ms)".formatted(BACKLOG), millis(start));
        results.put("ETAs moved by that refresh", (double) changed);

        Http http = new Http(port);
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < REST_PREORDERS; i++) {
            posts.add(() -> http.post("/api/preorders", UUID.randomUUID().toString(), Map.of("customerId", "bench-rest",
                    "variant", "SU7", "exteriorColor", "Grey", "deliveryCity", "Shanghai", "deposit", 5000, "channel", "WEB")).status());
        }
        start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (var status : pool.invokeAll(posts)) {
                assertThat(status.get()).isEqualTo(201);
            }
        }
        results.put("REST placements behind a %,d backlog, %d clients (preorders/s)".formatted(BACKLOG, CLIENTS),
                REST_PREORDERS / seconds(start));

        KafkaProbe probe = new KafkaProbe(SharedLocalStack.get());
        String customer = "bench-app-" + UUID.randomUUID();
        List<byte[]> requests = new ArrayList<>(APP_REQUESTS);
        for (int i = 0; i < APP_REQUESTS; i++) {
            requests.add("""
                    {"requestId": "%s", "customerId": "%s", "variant": "SU7_PRO", "exteriorColor": "Grey",
                     "deliveryCity": "Beijing", "deposit": 5000.00, "channel": "APP"}""".formatted(UUID.randomUUID(), customer)
                    .getBytes(StandardCharsets.UTF_8));
        }
        start = System.nanoTime();
        probe.sendAll(Topics.PREORDER_REQUESTS, requests);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.queryForObject("select count(*) from preorder where customer_id = ?", Long.class, customer) == APP_REQUESTS);
        results.put("app requests placed from Kafka (preorders/s)", APP_REQUESTS / seconds(start));
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.queryForObject("select count(*) from outbox_message", Long.class) == 0);
        results.put("app requests placed and PreorderPlaced published (preorders/s)", APP_REQUESTS / seconds(start));
        return results;
    }

    private void seedBacklog(Variant variant, int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("""
                insert into preorder (id, idempotency_key, request_hash, customer_id, variant, exterior_color, delivery_city,
                                      deposit, channel, entry_point, placed_at)
                select gen_random_uuid(), 'bench-' || ? || '-' || g, 'bench', 'bench-' || (g % 1000), ?, 'Grey', 'Beijing',
                       5000, 'APP', 'REST', ?::timestamptz - (? - g) * interval '1 millisecond'
                from generate_series(1, ?) g""", run, variant.name(), Timestamp.from(NOW), count, count);
        jdbc.update("""
                insert into preorder_eta (preorder_id, variant, transit_days, placed_at, status, eta_earliest, eta_latest, updated_at)
                select id, variant, 1, placed_at, 'PLACED', date '2030-01-01', date '2030-01-01', now()
                from preorder where idempotency_key like ?""", "bench-" + run + "-%");
        jdbc.update("insert into eta_queue_delta (delta) values (?)", count);
        jdbc.update("analyze preorder_eta");
    }

    private static double millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
