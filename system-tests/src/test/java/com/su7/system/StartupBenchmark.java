package com.su7.system;

import com.su7.system.ServiceProcess.Launch;
import com.su7.testsupport.BenchmarkReport;
import com.su7.testsupport.SharedLocalStack;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How soon a SIGKILLed service is ready again ({@code /actuator/health/readiness} UP), with the stack and the other
 * services up: each service killed and restarted {@value #RUNS} times each way, the two ways interleaved (alternating
 * which goes first) so both see the same machine: {@code java -jar} on the executable jar as before, and
 * scripts/run-service.sh (the jar extracted, with this JDK's AOT cache). The system's first start trains the caches.
 * {@code ./mvnw -Pbenchmark -pl system-tests verify -Dit.test=StartupBenchmark}; it writes
 * {@code target/benchmarks/startup.md} and {@code .json}.
 */
class StartupBenchmark {

    private static final int RUNS = 5;
    private static final Duration READY_WITHIN = Duration.ofSeconds(5);

    @Test
    void eachServiceIsReadyWithinFiveSecondsOfItsStart() {
        List<Map<String, Double>> runs = new ArrayList<>();
        try (RunningSystem system = RunningSystem.start(SharedLocalStack.get(), Duration.ofSeconds(1), Map.of())) {
            for (int run = 0; run < RUNS; run++) {
                List<Launch> order = run % 2 == 0 ? List.of(Launch.PLAIN_JAR, Launch.FAST_START) : List.of(Launch.FAST_START, Launch.PLAIN_JAR);
                Map<String, Double> readyAfter = new LinkedHashMap<>();
                for (String service : RunningSystem.SERVICES) {
                    for (Launch launch : order) {
                        readyAfter.put(metric(service, launch), (double) system.killAndRestart(service, launch).toMillis());
                    }
                }
                runs.add(readyAfter);
            }
        }
        Map<String, Double> medians = BenchmarkReport.medians(runs);
        BenchmarkReport.write("startup", "Start-up: process start to readiness UP after a SIGKILL",
                "%d runs per service and launch, interleaved; the services' test JVM options %s; the stack and the other services up."
                        .formatted(RUNS, String.join(" ", RunningSystem.TEST_JVM)),
                runs, medians);
        for (String service : RunningSystem.SERVICES) {
            assertThat(medians.get(metric(service, Launch.FAST_START))).as("median ms to ready of %s", service)
                    .isLessThanOrEqualTo((double) READY_WITHIN.toMillis());
        }
    }

    private static String metric(String service, Launch launch) {
        return "%s-service ready after (ms), %s".formatted(service, launch == Launch.PLAIN_JAR ? "java -jar" : "extracted + AOT cache");
    }
}
