package com.su7.production.queue;

import com.su7.contract.DeliveryCities;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import com.su7.testsupport.BenchmarkReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How long a capacity change takes to move every queued ETA, with {@value #QUEUED} preorders queued, on a
 * durable PostgreSQL; and how fast new preorders are taken into that queue (consume + tail projection).
 * Not part of {@code ./mvnw verify}: run {@code ./mvnw -Pbenchmark -pl production-service verify}; it writes
 * {@code production-service/target/benchmarks/production.md} and {@code .json}.
 */
class EtaRecomputeBenchmark extends IntegrationTestBase {

    private static final int QUEUED = Integer.getInteger("benchmark.queued", 100_000);
    private static final int RUNS = Integer.getInteger("benchmark.runs", 5);
    private static final int INTAKE = Integer.getInteger("benchmark.intake", 10_000);

    @Autowired
    MeterRegistry meters;

    @Test
    void measuresTheEtaRecomputationOfAFullQueueAfterACapacityChange() {
        assertThat(jdbc.queryForObject("show fsync", String.class)).as("benchmarks run durable").isEqualTo("on");
        plant.awaitLinesRunning();
        LocalDate today = plant.today();
        List<String> cities = List.of("Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Wuhan", "Lhasa");
        jdbc.update("""
                insert into production_queue (preorder_id, variant, delivery_city, city_key, placed_at, queued_at)
                select gen_random_uuid(), (array['SU7', 'SU7_PRO', 'SU7_MAX'])[1 + i % 3],
                       (?::text[])[1 + i % 7], (?::text[])[1 + i % 7],
                       timestamptz '2026-03-01 00:00:00+00' + i * interval '10 milliseconds', now()
                from generate_series(1, ?) as i""",
                cities.toArray(String[]::new), cities.stream().map(DeliveryCities::keyOf).toArray(String[]::new), QUEUED);
        jdbc.execute("analyze production_queue");
        assertThat(plant.queueLength()).isGreaterThanOrEqualTo(QUEUED);

        Timer recompute = meters.get("su7.production.eta.recompute").tag("scope", "queue").timer();
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            // Alternate a low and a high plan, so every run moves every ETA.
            int[] levels = run % 2 == 0 ? new int[]{400, 1_200} : new int[]{250, 800};
            Map<String, Double> measured = new LinkedHashMap<>();
            for (int level : levels) {
                double before = recompute.totalTime(TimeUnit.MILLISECONDS);
                long start = System.nanoTime();
                plant.changePlan(today, List.of(Map.of("from", today.toString(), "to", today.plusDays(30).toString(), "unitsPerDay", level),
                        Map.of("from", today.plusDays(30).toString(), "unitsPerDay", level * 2)));
                double request = (System.nanoTime() - start) / 1e6;
                double sql = recompute.totalTime(TimeUnit.MILLISECONDS) - before;
                String direction = level == levels[0] ? "lower" : "raise";
                measured.put("ETA recomputation, %d queued, %s capacity (ms)".formatted(QUEUED, direction), sql);
                measured.put("PUT capacity-plan end to end, %s capacity (ms)".formatted(direction), request);
            }
            runs.add(measured);
        }

        Map<String, Double> intake = measureIntake(today);
        Map<String, Double> medians = new LinkedHashMap<>(BenchmarkReport.medians(runs));
        medians.putAll(intake);
        BenchmarkReport.write("production", "Production: ETA recomputation",
                "%d queued preorders, %d runs, durable PostgreSQL (fsync, synchronous_commit on), %d cores, load average %s."
                        .formatted(QUEUED, runs.size(), Runtime.getRuntime().availableProcessors(), loadAverage()),
                runs, medians);
    }

    /** New preorders through Kafka into a queue of {@value #QUEUED}: queued by intake, projected in rounds behind it. */
    private Map<String, Double> measureIntake(LocalDate today) {
        List<UUID> ids = new ArrayList<>(INTAKE);
        List<PreorderPlaced> events = new ArrayList<>(INTAKE);
        Variant[] variants = Variant.values();
        for (int i = 0; i < INTAKE; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            events.add(TestEvents.preorderPlaced(id, variants[i % 3], "Hangzhou", plant.now().plusMillis(i)));
        }
        long start = System.nanoTime();
        events.forEach(event -> kafka.send(com.su7.contract.Topics.PREORDER_PLACED, event.getPreorderId(), event));
        kafka.flush();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                "select count(*) from production_queue where preorder_id = any(?) and estimated_build_date is not null",
                Integer.class, (Object) ids.toArray(UUID[]::new)) == INTAKE);
        double seconds = (System.nanoTime() - start) / 1e9;
        Timer tail = meters.get("su7.production.eta.recompute").tag("scope", "tail").timer();
        Map<String, Double> measured = new LinkedHashMap<>();
        measured.put("PreorderPlaced taken into the queue with ETAs, %d queued ahead (events/s)".formatted(QUEUED), INTAKE / seconds);
        measured.put("projection of the newly queued and those behind them, mean over %d rounds (ms)".formatted(tail.count()),
                tail.mean(TimeUnit.MILLISECONDS));
        return measured;
    }

    /** The machine is shared: say how busy it was. */
    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

}
