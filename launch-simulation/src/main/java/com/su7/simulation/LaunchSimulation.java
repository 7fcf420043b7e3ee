package com.su7.simulation;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * The launch: preorders arrive like the SU7's did (a burst on day one, tailing off) through the app's event
 * stream and the REST API while production ramps up; progress bars while it runs; at the end a report of what
 * customers experienced (how their ETA moved) and how fast the system answered, as JSON and an SVG chart.
 */
public final class LaunchSimulation {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SimulationOptions options;
    private final SystemProbe probe;
    private final List<Chart.Point> timeline = Collections.synchronizedList(new ArrayList<>());
    private volatile SystemProbe.Counts baseline;

    private LaunchSimulation(SimulationOptions options) {
        this.options = options;
        this.probe = new SystemProbe(options.ordersUrl(), options.appClient());
    }

    public static void main(String[] args) throws Exception {
        SimulationOptions options;
        try {
            options = SimulationOptions.parse(args);
        } catch (SimulationOptions.HelpRequested help) {
            System.out.print(SimulationOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("launch-simulation: " + e.getMessage());
            System.err.print(SimulationOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new LaunchSimulation(options).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        int[] perDay = new LaunchCurve(options.preorders(), options.days(), options.halfLife()).perDay();
        baseline = probe.counts();
        System.out.printf("Launch: %,d preorders over %d factory days (%s each), %.0f%% through REST, day one: %,d%n",
                options.preorders(), options.days(), options.dayLength(), options.restShare() * 100, perDay[0]);
        // The launch begins on the services' day 0 (wait for it if it is still ahead).
        Instant started = options.firstDayStartsAt().isAfter(Instant.now()) ? options.firstDayStartsAt() : Instant.now();
        Thread progress = Thread.ofVirtual().start(() -> showProgress(started));
        List<AppBackend.Sent> sent;
        try (AppBackend backend = new AppBackend(options.kafka(), options.ordersUrl(), options.appClient())) {
            send(backend, perDay, started);
            backend.drain();
            sent = backend.sent();
            if (backend.failures() > 0) {
                System.out.printf("%n%,d requests failed to send%n", backend.failures());
            }
        }
        boolean complete = awaitAllScheduled(started);
        progress.interrupt();
        progress.join();
        System.out.println();
        writeReport(sent, started, complete);
        return complete;
    }

    private void send(AppBackend backend, int[] perDay, Instant started) {
        Random random = new Random(7);
        int customer = 0;
        long dayNanos = options.dayLength().toNanos();
        for (int day = 0; day < perDay.length; day++) {
            for (int i = 0; i < perDay[day]; i++) {
                Instant due = started.plusNanos(day * dayNanos + dayNanos * i / Math.max(1, perDay[day]));
                long wait = Duration.between(Instant.now(), due).toNanos();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                backend.place(customer++, random.nextDouble() < options.restShare());
            }
        }
    }

    private boolean awaitAllScheduled(Instant started) {
        Instant deadline = started.plus(options.timeout());
        while (Instant.now().isBefore(deadline)) {
            if (current().scheduled() >= options.preorders()) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        return false;
    }

    /** Counts of this run only (the system may hold preorders of earlier runs). */
    private SystemProbe.Counts current() {
        SystemProbe.Counts now = probe.counts();
        return new SystemProbe.Counts(now.placedOnly() - baseline.placedOnly(), now.builtOnly() - baseline.builtOnly(),
                now.scheduled() - baseline.scheduled());
    }

    private void showProgress(Instant started) {
        while (!Thread.currentThread().isInterrupted()) {
            SystemProbe.Counts counts = current();
            double day = Duration.between(started, Instant.now()).toNanos() / (double) options.dayLength().toNanos();
            if (day < 0) {
                System.out.printf("\rthe launch (factory day 0) begins in %.0f s ", -day * options.dayLength().toMillis() / 1000.0);
                System.out.flush();
                pause();
                continue;
            }
            timeline.add(new Chart.Point(day, counts.placed(), counts.built(), counts.scheduled()));
            System.out.printf("\rday %5.1f  %s placed %,7d  %s built %,7d  %s scheduled %,7d ",
                    day, bar(counts.placed()), counts.placed(), bar(counts.built()), counts.built(),
                    bar(counts.scheduled()), counts.scheduled());
            System.out.flush();
            pause();
        }
    }

    /** The progress line's refresh interval. */
    private static void pause() {
        LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }

    private String bar(long value) {
        int width = 20;
        int filled = (int) Math.min(width, Math.round(width * value / (double) Math.max(1, options.preorders())));
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    private void writeReport(List<AppBackend.Sent> sent, Instant started, boolean complete) throws Exception {
        List<Outcome> outcomes = collectOutcomes(sent);
        SystemProbe.Counts counts = current();
        Histogram toFirstEta = new Histogram(3_600_000L, 3);
        Histogram toScheduled = new Histogram(86_400_000L, 3);
        long earlier = 0;
        long later = 0;
        long sumDaysEarlier = 0;
        long maxDaysEarlier = 0;
        for (Outcome outcome : outcomes) {
            toFirstEta.recordValue(Math.min(toFirstEta.getHighestTrackableValue(), outcome.toFirstEta().toMillis()));
            toScheduled.recordValue(Math.min(toScheduled.getHighestTrackableValue(), outcome.toScheduled().toMillis()));
            long days = outcome.daysEarlier();
            if (days > 0) {
                earlier++;
                sumDaysEarlier += days;
                maxDaysEarlier = Math.max(maxDaysEarlier, days);
            } else if (days < 0) {
                later++;
            }
        }
        ObjectNode report = JSON.createObjectNode();
        report.put("complete", complete);
        report.put("preordersRequested", options.preorders());
        report.put("placed", counts.placed());
        report.put("built", counts.built());
        report.put("scheduled", counts.scheduled());
        report.put("factoryDay", options.dayLength().toString());
        report.put("wallClockSeconds", Duration.between(started, Instant.now()).toSeconds());
        report.put("customersExamined", outcomes.size());
        report.put("etaMovedEarlier", earlier);
        report.put("etaMovedLater", later);
        report.put("averageDaysEarlier", earlier == 0 ? 0 : sumDaysEarlier / (double) earlier);
        report.put("maxDaysEarlier", maxDaysEarlier);
        report.set("requestToFirstEtaMillis", percentiles(toFirstEta));
        report.set("requestToScheduledMillis", percentiles(toScheduled));
        Files.createDirectories(options.reportDirectory());
        Path json = options.reportDirectory().resolve("launch-report.json");
        Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        Path svg = options.reportDirectory().resolve("launch-chart.svg");
        Files.writeString(svg, Chart.svg("SU7 launch: %,d preorders".formatted(options.preorders()), List.copyOf(timeline)));

        System.out.printf("""
                Launch report%s
                  placed %,d, built %,d, scheduled %,d of %,d requested
                  customers whose ETA moved earlier: %,d of %,d examined (average %.1f days, at most %d); later: %,d
                  request -> first ETA visible: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms
                  request -> delivery scheduled: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms
                  report: %s
                  chart:  %s
                """, complete ? "" : " (INCOMPLETE: not every preorder was scheduled before the timeout)",
                counts.placed(), counts.built(), counts.scheduled(), options.preorders(),
                earlier, outcomes.size(), earlier == 0 ? 0.0 : sumDaysEarlier / (double) earlier, maxDaysEarlier, later,
                toFirstEta.getValueAtPercentile(50), toFirstEta.getValueAtPercentile(95), toFirstEta.getValueAtPercentile(99), toFirstEta.getMaxValue(),
                toScheduled.getValueAtPercentile(50), toScheduled.getValueAtPercentile(95), toScheduled.getValueAtPercentile(99), toScheduled.getMaxValue(),
                json.toAbsolutePath(), svg.toAbsolutePath());
    }

    private List<Outcome> collectOutcomes(List<AppBackend.Sent> sent) throws Exception {
        try (ExecutorService lookups = Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
            List<Future<Optional<Outcome>>> futures = new ArrayList<>(sent.size());
            for (AppBackend.Sent request : sent) {
                futures.add(lookups.submit(() -> probe.preorderOf(request.customerId())
                        .flatMap(preorder -> Outcome.of(preorder, request.at()))));
            }
            List<Outcome> outcomes = new ArrayList<>(sent.size());
            for (Future<Optional<Outcome>> future : futures) {
                future.get().ifPresent(outcomes::add);
            }
            return outcomes;
        }
    }

    private static ObjectNode percentiles(Histogram histogram) {
        return JSON.createObjectNode()
                .put("p50", histogram.getValueAtPercentile(50))
                .put("p95", histogram.getValueAtPercentile(95))
                .put("p99", histogram.getValueAtPercentile(99))
                .put("max", histogram.getMaxValue())
                .put("count", histogram.getTotalCount());
    }
}
