package com.su7.messaging;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.outbox.OutboxRelay;
import com.su7.messaging.testapp.MessagingTestApplication;
import com.su7.messaging.testapp.Preorders;
import com.su7.messaging.testapp.TestEvents;
import com.su7.testsupport.BenchmarkReport;
import com.su7.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publish and consume rates of the outbox and the idempotent batch consumer, on a durable PostgreSQL
 * ({@code fsync} and {@code synchronous_commit} on). Not part of {@code ./mvnw verify}: run it with
 * {@code ./mvnw -Pbenchmark -pl messaging -am verify}; it writes {@code messaging/target/benchmarks/messaging.md}.
 */
@SpringBootTest(classes = MessagingTestApplication.class)
@WithLocalStack
class MessagingThroughputBenchmark {

    private static final int EVENTS = Integer.getInteger("benchmark.events", 50_000);
    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    private static final int KEYS = 5_000;
    private static final int TRANSACTION_SIZE = 500;

    @Autowired
    Preorders preorders;
    @Autowired
    OutboxRelay relay;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void measuresPublishAndConsumeRates() {
        assertThat(jdbc.queryForObject("show fsync", String.class)).as("benchmarks run durable").isEqualTo("on");
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            runs.add(oneRun());
        }
        BenchmarkReport.write("messaging", "Messaging throughput",
                "%d events per run over %d keys, %d runs, durable PostgreSQL, one broker, %d cores.".formatted(
                        EVENTS, KEYS, runs.size(), Runtime.getRuntime().availableProcessors()),
                runs, BenchmarkReport.medians(runs));
    }

    private Map<String, Double> oneRun() {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        List<String> keys = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            keys.add(runId + "-" + i);
        }
        relay.stop();
        long writeStart = System.nanoTime();
        List<PreorderPlaced> transaction = new ArrayList<>(TRANSACTION_SIZE);
        for (int i = 0; i < EVENTS; i++) {
            transaction.add(TestEvents.preorderPlaced(keys.get(i % KEYS), i / KEYS));
            if (transaction.size() == TRANSACTION_SIZE) {
                preorders.place(transaction);
                transaction = new ArrayList<>(TRANSACTION_SIZE);
            }
        }
        double writeSeconds = seconds(System.nanoTime() - writeStart);

        long publishStart = System.nanoTime();
        relay.start();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("select count(*) from outbox_message where topic = ?", Long.class, Topics.PREORDER_PLACED) == 0);
        double publishSeconds = seconds(System.nanoTime() - publishStart);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("select count(*) from applied_event where preorder_id like ?", Long.class, runId + "-%") == EVENTS);
        double consumeSeconds = seconds(System.nanoTime() - publishStart);

        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("outbox writes (events/s, 500 per transaction)", EVENTS / writeSeconds);
        rates.put("relay publish (events/s)", EVENTS / publishSeconds);
        rates.put("consume and apply, end to end from relay start (events/s)", EVENTS / consumeSeconds);
        return rates;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

}
