package com.su7.simulation;

import com.su7.contract.FactoryCalendar;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The launch: preorders arrive like the SU7's did (a burst on day one, tailing off) through the app's event
 * stream and the REST API while production ramps up, and a share of the customers cancel within their refund
 * window; meanwhile the simulation plays a notification service on {@code orders.eta-changed}. Progress bars while
 * it runs; at the end a report of what customers experienced (how their ETA moved, what they were told and how fresh
 * it was) and how fast the system answered, as JSON and an SVG chart.
 */
public final class LaunchSimulation {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How long the topics must stay quiet at the end before the report counts what was on them. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration SETTLING = Duration.ofMinutes(1);

    private final SimulationOptions options;
    private final SystemProbe probe;
    private final Notifications notifications;
    private final EtaFreshness freshness = new EtaFreshness();
    private final List<Chart.Point> timeline = Collections.synchronizedList(new ArrayList<>());
    /** Preorders sent so far: the launch curve as offered. */
    private final AtomicInteger offered = new AtomicInteger();
    private volatile SystemProbe.Counts baseline;

    private LaunchSimulation(SimulationOptions options) {
        this.options = options;
        this.probe = new SystemProbe(options.ordersUrl(), options.appClient());
        // Which factory day an instant falls on is all the push policy asks of the calendar, so day 0's date is any.
        this.notifications = new Notifications(new PushPolicy(
                new FactoryCalendar(LocalDate.EPOCH, options.firstDayStartsAt(), options.dayLength())));
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
        System.out.printf("Launch: %,d preorders over %d factory days (%s each), %.0f%% through REST, day one: %,d;"
                        + " %.1f%% cancelled within the %.0f-day refund window%n",
                options.preorders(), options.days(), options.dayLength(), options.restShare() * 100, perDay[0],
                options.cancellations().share() * 100, factoryDays(options.cancellations().refundWindow()));
        Instant started;
        Thread progress;
        List<AppBackend.Sent> sent;
        DailyLatencies restLatency;
        int rateLimited;
        boolean complete;
        // Both readers start at their topics' ends before the first preorder is sent: the report is about this run.
        try (NotificationService notificationService = NotificationService.start(options.kafka(), options.notifications(),
                     options.registry(), notifications, Clock.systemUTC());
             EtaCauseObserver observer = EtaCauseObserver.start(options.kafka(), options.observer(), options.registry(), freshness);
             Cancellations cancellations = new Cancellations(options.ordersUrl(), options.appClient(), probe, options.cancellations())) {
            try (AppBackend backend = new AppBackend(options.kafka(), options.ordersUrl(), options.appClient(), options.days())) {
                // The launch begins on the services' day 0 (wait for it if it is still ahead), with the backend connected.
                started = options.firstDayStartsAt().isAfter(Instant.now()) ? options.firstDayStartsAt() : Instant.now();
                // The chart starts where the launch does, however long the first count takes.
                timeline.add(new Chart.Point(0, 0, 0, 0, 0, 0, 0));
                progress = Thread.ofVirtual().start(() -> showProgress(started));
                send(backend, cancellations, perDay, started);
                backend.drain();
                sent = backend.sent();
                restLatency = backend.restLatency();
                rateLimited = backend.rateLimited();
                if (backend.failures() > 0) {
                    System.out.printf("%n%,d requests failed to send%n", backend.failures());
                }
            }
            Instant deadline = started.plus(options.timeout());
            complete = cancellations.awaitAnswered(deadline) && awaitAllScheduledOrCancelled(deadline);
            progress.interrupt();
            progress.join();
            System.out.println();
            // What the services sent last (the last schedules' EtaChanged) is read before the report counts it.
            Instant settled = Instant.now().plus(SETTLING);
            notificationService.awaitQuiet(QUIET, settled);
            observer.awaitQuiet(QUIET, settled);
            writeReport(sent, restLatency, rateLimited, started, complete, cancellations.outcomes(),
                    notificationService.undecodable() + observer.undecodable());
        }
        return complete;
    }

    private void send(AppBackend backend, Cancellations cancellations, int[] perDay, Instant started) {
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
                cancellations.consider(backend.place(customer++, random.nextDouble() < options.restShare(), day));
                offered.incrementAndGet();
            }
        }
    }

    private boolean awaitAllScheduledOrCancelled(Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            SystemProbe.Counts counts = current();
            if (counts.scheduled() + counts.cancelled() >= options.preorders()) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        return false;
    }

    /** Counts of this run only (the system may hold preorders of earlier runs). */
    private SystemProbe.Counts current() {
        return probe.counts().minus(baseline);
    }

    private void showProgress(Instant started) {
        while (!Thread.currentThread().isInterrupted()) {
            SystemProbe.Counts counts = current();
            if (Thread.currentThread().isInterrupted()) {
                // Stopped during the count: its call was cut off, so it counted nothing (the chart's lines fell to 0).
                return;
            }
            double day = Duration.between(started, Instant.now()).toNanos() / (double) options.dayLength().toNanos();
            if (day < 0) {
                System.out.printf("\rthe launch (factory day 0) begins in %.0f s ", -day * options.dayLength().toMillis() / 1000.0);
                System.out.flush();
                pause();
                continue;
            }
            long toldEarlier = notifications.preordersToldEarlier();
            timeline.add(new Chart.Point(day, offered.get(), counts.placed(), counts.built(), counts.scheduled(),
                    counts.cancelled(), toldEarlier));
            System.out.printf("\rday %5.1f  %s placed %,7d  %s built %,7d  %s scheduled %,7d  cancelled %,5d  told earlier %,7d ",
                    day, bar(counts.placed()), counts.placed(), bar(counts.built()), counts.built(),
                    bar(counts.scheduled()), counts.scheduled(), counts.cancelled(), toldEarlier);
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

    private void writeReport(List<AppBackend.Sent> sent, DailyLatencies restLatency, int rateLimited, Instant started,
                             boolean complete, Cancellations.Outcomes cancelled, long undecodable) throws Exception {
        List<Outcome> outcomes = collectOutcomes(sent);
        SystemProbe.Counts counts = current();
        Histogram toScheduled = new Histogram(86_400_000L, 3);
        DailyLatencies appEventLag = new DailyLatencies(options.days());
        long scheduled = 0;
        long earlier = 0;
        long later = 0;
        long sumDaysEarlier = 0;
        long maxDaysEarlier = 0;
        for (Outcome outcome : outcomes) {
            if (!outcome.sent().viaRest()) {
                appEventLag.record(outcome.sent().launchDay(), outcome.toFirstEta());
            }
            outcome.toScheduled().ifPresent(wait ->
                    toScheduled.recordValue(Math.min(toScheduled.getHighestTrackableValue(), wait.toMillis())));
            Optional<Long> daysEarlier = outcome.daysEarlier();
            if (daysEarlier.isEmpty()) {
                continue;
            }
            scheduled++;
            long days = daysEarlier.get();
            if (days > 0) {
                earlier++;
                sumDaysEarlier += days;
                maxDaysEarlier = Math.max(maxDaysEarlier, days);
            } else if (days < 0) {
                later++;
            }
        }
        LaunchBacklog backlog = LaunchBacklog.of(sent.stream().map(AppBackend.Sent::at).sorted().toList(),
                outcomes.stream().map(Outcome::firstEtaAt).sorted().toList());
        double backlogDays = factoryDays(backlog.maxDelay());
        Optional<Double> backlogPeakDay = backlog.maxPreordersAt().map(at -> factoryDays(Duration.between(started, at)));
        Map<String, String> customerOfPreorder = new HashMap<>();
        outcomes.forEach(outcome -> customerOfPreorder.put(outcome.preorderId(), outcome.sent().customerId()));
        List<EtaNotice> received = notifications.received();
        NotificationSummary told = NotificationSummary.of(received, notifications.pushed(), customerOfPreorder,
                notifications.duplicates(), notifications.held());
        EtaFreshness.Measured fresh = freshness.measure(received.stream()
                .filter(change -> customerOfPreorder.containsKey(change.preorderId())).toList());

        ObjectNode report = JSON.createObjectNode();
        report.put("complete", complete);
        report.put("preordersRequested", options.preorders());
        report.put("placed", counts.placed());
        report.put("built", counts.built());
        report.put("scheduled", counts.scheduled());
        report.put("factoryDay", options.dayLength().toString());
        report.put("wallClockSeconds", Duration.between(started, Instant.now()).toSeconds());
        report.put("preordersFound", outcomes.size());
        report.put("preordersNotFound", sent.size() - outcomes.size());
        report.put("customersExamined", scheduled);
        report.put("etaMovedEarlier", earlier);
        report.put("etaMovedLater", later);
        report.put("averageDaysEarlier", earlier == 0 ? 0 : sumDaysEarlier / (double) earlier);
        report.put("maxDaysEarlier", maxDaysEarlier);
        report.set("restLatencyMillis", restLatency.toJson().put("retriedAfter429", rateLimited));
        report.set("appEventLagMillis", appEventLag.toJson());
        report.set("requestToScheduledMillis", DailyLatencies.percentiles(toScheduled));
        ObjectNode behind = report.putObject("behindLaunchCurve")
                .put("maxPreordersWaiting", backlog.maxPreorders())
                .put("maxDelayMillis", backlog.maxDelay().toMillis())
                .put("maxDelayFactoryDays", backlogDays)
                .put("neverPlaced", backlog.neverPlaced());
        backlogPeakDay.ifPresent(day -> behind.put("maxPreordersWaitingAtFactoryDay", day));
        report.put("cancelled", counts.cancelled());
        report.set("notifications", told.toJson());
        report.put("undecodableRecords", undecodable);
        report.set("etaFreshnessMillis", DailyLatencies.percentiles(fresh.millis()).put("unmatched", fresh.unmatched())
                .set("ofWhichOutboxRelay", DailyLatencies.percentiles(fresh.relayMillis())));
        ObjectNode cancellations = report.putObject("cancellations")
                .put("share", cancelled.share())
                .put("refundWindowFactoryDays", factoryDays(options.cancellations().refundWindow()))
                .put("planned", cancelled.planned())
                .put("requested", cancelled.requested())
                .put("requestedAfterTheWindowByTheBackendsClock", cancelled.requestedLate())
                .put("ofWhichAcceptedAWindowAfterTheTap", cancelled.acceptedAWindowAfterTheTap())
                .put("accepted", cancelled.accepted())
                .put("refused", cancelled.refused())
                .put("unknownPreorder", cancelled.unknownPreorder())
                .put("failed", cancelled.failed())
                .put("neverRequested", cancelled.neverRequested());
        ObjectNode byReason = cancellations.putObject("acceptedByReason");
        cancelled.acceptedByReason().forEach((reason, count) -> byReason.put(reason.name(), count));
        ObjectNode refusedBy = cancellations.putObject("refusedBy");
        cancelled.refusedBy().forEach(refusedBy::put);
        ObjectNode otherAnswers = cancellations.putObject("otherAnswers");
        cancelled.otherAnswers().forEach((status, count) -> otherAnswers.put(status.toString(), count));
        Files.createDirectories(options.reportDirectory());
        Path json = options.reportDirectory().resolve("launch-report.json");
        Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        Path svg = options.reportDirectory().resolve("launch-chart.svg");
        List<String> notes = notificationLines(told, fresh, cancelled);
        Files.writeString(svg, Chart.svg("SU7 launch: %,d preorders".formatted(options.preorders()),
                notes.stream().map(String::strip).toList(), List.copyOf(timeline)));

        System.out.printf("""
                Launch report%s
                  placed %,d, built %,d, scheduled %,d of %,d requested%s
                  customers whose ETA moved earlier: %,d of %,d scheduled (average %.1f days, at most %d); later: %,d
                  request -> delivery scheduled: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms
                  behind the launch curve: at most %,d preorders sent and not yet placed%s;
                    the n-th placed at most %.2f factory days (%,d ms) after the n-th sent%s
                %s%s  report: %s
                  chart:  %s
                """, complete ? "" : " (INCOMPLETE: not every preorder was scheduled before the timeout)",
                counts.placed(), counts.built(), counts.scheduled(), options.preorders(),
                sent.size() == outcomes.size() ? "" : "; %,d sent not found".formatted(sent.size() - outcomes.size()),
                earlier, scheduled, earlier == 0 ? 0.0 : sumDaysEarlier / (double) earlier, maxDaysEarlier, later,
                toScheduled.getValueAtPercentile(50), toScheduled.getValueAtPercentile(95), toScheduled.getValueAtPercentile(99), toScheduled.getMaxValue(),
                backlog.maxPreorders(), backlogPeakDay.map(day -> " (factory day %.1f)".formatted(day)).orElse(""),
                backlogDays, backlog.maxDelay().toMillis(),
                backlog.neverPlaced() == 0 ? "" : "; %,d never placed".formatted(backlog.neverPlaced()),
                latencyTable(restLatency, rateLimited, appEventLag),
                notes.stream().map(line -> "  " + line + "\n").collect(Collectors.joining()), json.toAbsolutePath(), svg.toAbsolutePath());
    }

    /** What the notification service told the customers, how fresh the ETA was, what came of the cancellations. */
    private List<String> notificationLines(NotificationSummary told, EtaFreshness.Measured fresh, Cancellations.Outcomes cancelled) {
        Histogram perCustomer = told.pushesPerCustomer();
        Histogram days = told.daysEarlier();
        Histogram millis = fresh.millis();
        return List.of(
                "notifications (orders.eta-changed as user notifications, each eventId once): %,d ETA changes, %,d duplicates skipped"
                        .formatted(told.changes(), told.duplicates()),
                "  %,d placement and %,d cancellation confirmations; %,d pushes, at most one a customer and factory day (a later date at once), %,d held at the end"
                        .formatted(told.placementConfirmations(), told.cancellationConfirmations(), told.pushes(), told.heldAtEnd()),
                "  pushes per customer: p50 %d, p99 %d, max %d; \"later\" pushes: %,d%s"
                        .formatted(perCustomer.getValueAtPercentile(50), perCustomer.getValueAtPercentile(99), perCustomer.getMaxValue(),
                                told.laterPushes(), told.laterByCause().isEmpty() ? "" : " (later dates by cause: " + told.laterByCause()
                                        .entrySet().stream().map(entry -> "%s %,d".formatted(entry.getKey(), entry.getValue()))
                                        .collect(Collectors.joining(", ")) + ")"),
                "  customers told their car comes earlier: %,d, by p50 %d, p95 %d, max %d days"
                        .formatted(told.customersToldEarlier(), days.getValueAtPercentile(50), days.getValueAtPercentile(95), days.getMaxValue()),
                "ETA freshness, UnitBuilt/DeliveryScheduled -> its EtaChanged on the topic: p50 %,d ms, p99 %,d ms, max %,d ms (%,d changes%s)"
                        .formatted(millis.getValueAtPercentile(50), millis.getValueAtPercentile(99), millis.getMaxValue(), millis.getTotalCount(),
                                fresh.unmatched() == 0 ? "" : ", %,d without their fact".formatted(fresh.unmatched())),
                "  of which orders' outbox relay (EtaChanged occurredAt -> on the topic): p50 %,d ms, p99 %,d ms"
                        .formatted(fresh.relayMillis().getValueAtPercentile(50), fresh.relayMillis().getValueAtPercentile(99)),
                "cancellations (%.1f %% within the refund window): %,d requested, %,d accepted, %,d refused (409%s), %,d unknown (404), %,d failed%s"
                        .formatted(cancelled.share() * 100, cancelled.requested(), cancelled.accepted(), cancelled.refused(),
                                cancelled.refusedBy().isEmpty() ? "" : ": " + cancelled.refusedBy().entrySet().stream()
                                        .map(entry -> "%s %,d".formatted(entry.getKey(), entry.getValue())).collect(Collectors.joining(", ")),
                                cancelled.unknownPreorder(), cancelled.failed(),
                                cancelled.neverRequested() == 0 ? "" : ", %,d not placed in time".formatted(cancelled.neverRequested())),
                "  of the requests, %,d went out after the window had closed by the backend's own clock; %,d were for preorders accepted a whole window after the tap (the window runs from acceptance)"
                        .formatted(cancelled.requestedLate(), cancelled.acceptedAWindowAfterTheTap()),
                "  customers moved earlier by a cancellation ahead: %,d".formatted(told.customersMovedEarlierByCancellation()));
    }

    private double factoryDays(Duration duration) {
        return duration.toNanos() / (double) options.dayLength().toNanos();
    }

    /** Per launch day: REST request to response, and an app event from sent to placed (its first ETA visible). */
    private static String latencyTable(DailyLatencies rest, int rateLimited, DailyLatencies appEvents) {
        StringBuilder table = new StringBuilder();
        table.append("  launch  REST POST /api/preorders, request -> response (ms)%s    app event sent -> placed, first ETA (ms)%n"
                .formatted(rateLimited == 0 ? "" : ", %,d retried after 429".formatted(rateLimited)));
        table.append("     day    count     p50     p95     p99     max      count     p50     p95     p99     max\n");
        table.append(latencyRow("all", rest.all(), appEvents.all()));
        for (int day = 0; day < rest.days(); day++) {
            table.append(latencyRow(Integer.toString(day), rest.day(day), appEvents.day(day)));
        }
        return table.toString();
    }

    private static String latencyRow(String day, Histogram rest, Histogram appEvents) {
        return "  %6s  %s    %s%n".formatted(day, latencyColumns(rest), latencyColumns(appEvents));
    }

    private static String latencyColumns(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return "%7d %7s %7s %7s %7s".formatted(0, "-", "-", "-", "-");
        }
        return "%,7d %,7d %,7d %,7d %,7d".formatted(histogram.getTotalCount(), histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(95), histogram.getValueAtPercentile(99), histogram.getMaxValue());
    }

    /** A lookup per {@link SystemProbe#KEYS_PER_LOOKUP} preorders, a few at once, instead of two per customer. */
    private List<Outcome> collectOutcomes(List<AppBackend.Sent> sent) throws Exception {
        try (ExecutorService lookups = Executors.newFixedThreadPool(4, Thread.ofVirtual().factory())) {
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (int from = 0; from < sent.size(); from += SystemProbe.KEYS_PER_LOOKUP) {
                List<AppBackend.Sent> batch = sent.subList(from, Math.min(sent.size(), from + SystemProbe.KEYS_PER_LOOKUP));
                futures.add(lookups.submit(() -> {
                    Map<String, JsonNode> found = probe.preordersWithKeys(batch.stream().map(AppBackend.Sent::requestId).toList());
                    return batch.stream().flatMap(request -> Optional.ofNullable(found.get(request.requestId()))
                            .flatMap(preorder -> Outcome.of(preorder, request)).stream()).toList();
                }));
            }
            List<Outcome> outcomes = new ArrayList<>(sent.size());
            for (Future<List<Outcome>> future : futures) {
                outcomes.addAll(future.get());
            }
            return outcomes;
        }
    }
}
