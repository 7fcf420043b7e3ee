package com.su7.delivery;

import com.su7.contract.Topics;
import com.su7.testsupport.BenchmarkReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.su7.delivery.DeliveryTestSupport.createCenter;
import static com.su7.delivery.DeliveryTestSupport.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How fast built units are scheduled end to end (UnitBuilt on Kafka to a committed booking and its outbox row),
 * and how long a capacity raise takes to move a centre's booked hand-overs earlier, on a durable PostgreSQL.
 * Not part of {@code ./mvnw verify}: {@code ./mvnw -Pbenchmark -pl delivery-service verify} writes
 * {@code delivery-service/target/benchmarks/delivery.md} and {@code .json}.
 */
@DeliveryIntegrationTest
class DeliverySchedulingBenchmark {

    private static final int UNITS = Integer.getInteger("benchmark.units", 20_000);
    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    private static final int CAPACITY = 500;

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestClock clock;
    @LocalServerPort
    int port;

    @Test
    void measuresSchedulingAndReschedulingRates() {
        assertThat(jdbc.queryForObject("show fsync", String.class)).as("benchmarks run durable").isEqualTo("on");
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            runs.add(oneRun());
            System.out.println("run " + (run + 1) + ": " + runs.getLast());
        }
        BenchmarkReport.write("delivery", "delivery-service scheduling benchmark", """
                %d preorders placed then built (one UnitBuilt each) for one centre of capacity %d/day, transit 2 days;
                then its capacity doubled through PUT /api/delivery/centers/{city}. Durable PostgreSQL (fsync and
                synchronous_commit on), one Kafka broker, all on this machine; medians of %d runs.""".formatted(UNITS, CAPACITY, RUNS),
                runs, BenchmarkReport.medians(runs));
    }

    private Map<String, Double> oneRun() {
        String city = createCenter(jdbc, CAPACITY, 2);
        List<String> preorderIds = new ArrayList<>(UNITS);
        for (int i = 0; i < UNITS; i++) {
            preorderIds.add(TestEvents.preorderId());
        }
        long placeStart = System.nanoTime();
        for (int i = 0; i < UNITS; i++) {
            String id = preorderIds.get(i);
            kafka.send(Topics.PREORDER_PLACED, id, TestEvents.placed(id, city, clock.instant().minusSeconds(UNITS - i)));
        }
        kafka.flush();
        awaitCount(city, "AWAITING_UNIT", UNITS);
        double placeSeconds = seconds(System.nanoTime() - placeStart);

        long buildStart = System.nanoTime();
        for (String id : preorderIds) {
            kafka.send(Topics.UNIT_BUILT, id, TestEvents.built(id, TestEvents.vin(), clock.instant()));
        }
        kafka.flush();
        awaitCount(city, "SCHEDULED", UNITS);
        double buildSeconds = seconds(System.nanoTime() - buildStart);

        long raiseStart = System.nanoTime();
        var raised = put(port, """
                {"dailyCapacity": %d, "changedBy": "benchmark", "reason": "measure"}""".formatted(CAPACITY * 2),
                "/api/delivery/centers/{city}", city);
        double raiseSeconds = seconds(System.nanoTime() - raiseStart);
        assertThat(raised.status()).isEqualTo(200);
        int moved = raised.body().get("handOversMovedEarlier").asInt();
        assertThat(moved).isPositive();

        Map<String, Double> result = new LinkedHashMap<>();
        result.put("preordersRecordedPerSecond", UNITS / placeSeconds);
        result.put("unitsScheduledPerSecond", UNITS / buildSeconds);
        result.put("capacityRaiseSeconds", raiseSeconds);
        result.put("handOversMoved", (double) moved);
        result.put("handOversMovedPerSecond", moved / raiseSeconds);
        return result;
    }

    private void awaitCount(String city, String status, int expected) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery_preorder where center_city = ? and status = ?", Integer.class, city, status))
                .isEqualTo(expected));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

}
