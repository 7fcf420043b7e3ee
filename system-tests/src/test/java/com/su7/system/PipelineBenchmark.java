package com.su7.system;

import com.su7.contract.DeliveryCities;
import com.su7.contract.DeliveryCity;
import com.su7.contract.Topics;
import com.su7.localstack.HttpClientCredentials;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import com.su7.testsupport.BenchmarkReport;
import com.su7.testsupport.DatabaseHistory;
import com.su7.testsupport.DeliveredPreorders;
import com.su7.testsupport.SharedLocalStack;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline under load: the three services as separate processes on the local stack with a durable
 * PostgreSQL, preorders entering through {@code app.preorder-requests} until orders-service shows each one
 * DELIVERY_SCHEDULED. Each run measures
 * <ul>
 *   <li>the broker's raw limit with Kafka's own performance tools (the yardstick for noisy machines);</li>
 *   <li>sustained throughput: N preorders sent at once, until the last is scheduled;</li>
 *   <li>end-to-end latency at a fixed offered rate below saturation, from a request's intended send time
 *       (so a stalled sender does not hide a stall) to the moment orders-service writes its scheduled ETA;</li>
 *   <li>CPU seconds and memory of every process during the throughput phase;</li>
 *   <li>the REST API as the car app's backend meets it, with its access token: placements ({@code POST
 *       /api/preorders}) and reads (a preorder, a customer's page, the stats) at saturation and at a fixed
 *       offered rate, with the CPU each request costs each process.</li>
 * </ul>
 * Production and delivery capacity are raised so they are never the limit. Not part of {@code ./mvnw verify}:
 * {@code ./mvnw -Pbenchmark -pl system-tests verify}; it writes {@code target/benchmarks/pipeline.md} and {@code .json}.
 */
class PipelineBenchmark {

    private static final int PREORDERS = Integer.getInteger("benchmark.preorders", 100_000);
    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    private static final int OFFERED_RATE = Integer.getInteger("benchmark.offered-rate", 500);
    private static final int LATENCY_SECONDS = Integer.getInteger("benchmark.latency-seconds", 30);
    private static final int WARM_UP = Integer.getInteger("benchmark.warm-up", 5_000);
    private static final int RAW_KAFKA_RECORDS = Integer.getInteger("benchmark.raw-kafka-records", 1_000_000);
    private static final Duration DAY_LENGTH = Duration.parse(System.getProperty("benchmark.day-length", "PT0.1S"));
    private static final boolean JFR = Boolean.getBoolean("benchmark.jfr");
    private static final boolean SQL_STATS = Boolean.getBoolean("benchmark.sql-stats");
    /** Which phases each run measures: {@code pipeline} (app events end to end), {@code rest} (the HTTP API). */
    private static final Set<String> PHASES = Set.of(System.getProperty("benchmark.phases", "pipeline,rest").split(","));
    private static final int REST_RATE = Integer.getInteger("benchmark.rest-rate", 1_000);
    private static final int REST_SECONDS = Integer.getInteger("benchmark.rest-seconds", 20);
    private static final int REST_CLIENTS = Integer.getInteger("benchmark.rest-clients", 256);
    /**
     * Tracing in the services: {@code off} (none at all), or the share of traces sampled, their spans sent to Zipkin
     * (which the stack then runs, its CPU counted with the rest); by default the services' own default. Several, comma
     * separated ({@code off,0.1,1.0}): each run measures each in turn, the services restarted (and warmed up) with it,
     * so a busy neighbour on the machine weighs on all of them alike.
     */
    private static final List<String> TRACING = List.of(System.getProperty("benchmark.tracing", "0.1").split(","));
    /**
     * Whether orders-service publishes its EtaChanged events ({@code on}) or only writes their history rows
     * ({@code off}); {@code on,off} measures each in turn like several tracing modes, to weigh what the events cost.
     */
    private static final List<String> ETA_CHANGED = List.of(System.getProperty("benchmark.eta-changed", "on").split(","));
    /** Each run measures the system in each of these, in turn. */
    private static final List<Mode> MODES = TRACING.stream()
            .flatMap(tracing -> ETA_CHANGED.stream().map(etaChanged -> new Mode(tracing, etaChanged))).toList();
    /**
     * Delivered preorders of the year before, filled into the three services' databases as each leaves them
     * ({@link DeliveredPreorders}) before the warm-up: the same runs with a year behind them. Not a mode (a database
     * cannot be emptied again as it was): compare with an invocation without it, in both orders.
     */
    private static final int HISTORY = Integer.getInteger("benchmark.history", 0);
    /** Records a preorder writes to Kafka besides its EtaChanged events: the app request, PreorderPlaced, UnitBuilt, DeliveryScheduled. */
    private static final int RECORDS_PER_PREORDER = 4;
    /** A request's size on app.preorder-requests, about the size of the pipeline's Avro events too. */
    private static final int RECORD_SIZE = 200;
    private static final List<String> CITIES = DeliveryCities.ALL.stream().map(DeliveryCity::name).toList();
    private static final List<String> VARIANTS = List.of("SU7", "SU7_PRO", "SU7_MAX");
    private static final Path REPORTS = Path.of("target", "benchmarks");

    /**
     * Day 0 of the factory calendar, the same for every start of the services: a restart (for another mode) must not
     * move it, or every date already written would be thousands of factory days away and the estimates would churn.
     */
    private static final Instant FIRST_FACTORY_DAY = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static LocalStack stack;
    private static Duration historyFill = Duration.ZERO;
    private static RunningSystem system;
    private static DataSource orders;
    private static KafkaProducer<String, String> app;

    @BeforeAll
    static void startTheSystem() {
        stack = SharedLocalStack.get();
        if (TRACING.stream().anyMatch(tracing -> !tracing.equals("off"))) {
            stack.startZipkin();
        }
        system = start(MODES.getFirst());
        orders = stack.postgresSuperuser("orders");
        if (HISTORY > 0) {
            fillHistory();
        }
        // As the app's backend, whose Kafka user may write nothing but preorder requests.
        Map<String, Object> settings = new HashMap<>(stack.kafkaClientSettings(KafkaPrincipal.APP.name()));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        app = new KafkaProducer<>(settings);
    }

    @AfterAll
    static void stopTheSystem() {
        if (app != null) {
            app.close();
        }
        if (system != null) {
            system.close();
        }
    }

    /**
     * The history, as the running services would have left it a year on: stamped before this moment and dated before
     * the factory's today (which only moves on), so none of it is live work (a queued preorder, a booked hand-over, a
     * build in a rate's window); its outbox published, processed ids of the last 14 days, statistics kept.
     */
    private static void fillHistory() {
        LocalDate today = factoryToday();
        Instant now = Collections.min(List.of(Instant.now(), today.atStartOfDay(ZoneOffset.UTC).toInstant()));
        long start = System.nanoTime();
        List.<Runnable>of(
                () -> DeliveredPreorders.inOrders(stack.postgresSuperuser("orders"), HISTORY, now),
                () -> DeliveredPreorders.inProduction(stack.postgresSuperuser("production"), HISTORY, now, today),
                () -> DeliveredPreorders.inDelivery(stack.postgresSuperuser("delivery"), HISTORY, now)
        ).parallelStream().forEach(Runnable::run);
        for (String service : RunningSystem.SERVICES) {
            DatabaseHistory.vacuumAnalyze(stack.postgresSuperuser(service));
        }
        historyFill = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("history: %,d delivered preorders in each service's database, filled in %d s%n", HISTORY, historyFill.toSeconds());
    }

    /** How the services run in a measurement: tracing off or sampled, EtaChanged published or not. */
    private record Mode(String tracing, String etaChanged) {

        Mode {
            if (!etaChanged.equals("on") && !etaChanged.equals("off")) {
                throw new IllegalArgumentException("benchmark.eta-changed takes on and off, not " + etaChanged);
            }
        }

        /** What tells this mode's measurements from the others' in the report, when there are several. */
        String label() {
            List<String> parts = new ArrayList<>();
            if (TRACING.size() > 1) {
                parts.add("tracing " + tracing);
            }
            if (ETA_CHANGED.size() > 1) {
                parts.add("EtaChanged " + etaChanged);
            }
            return String.join(", ", parts);
        }

        /** The run's label (its customers' ids, its reports' names): {@code run2}, or {@code run2-0p1-eta-off} among several modes. */
        String runLabel(int run) {
            List<String> parts = new ArrayList<>(List.of("run" + run));
            if (TRACING.size() > 1) {
                parts.add(tracing.replace('.', 'p'));
            }
            if (ETA_CHANGED.size() > 1) {
                parts.add("eta-" + etaChanged);
            }
            return String.join("-", parts);
        }
    }

    private static RunningSystem start(Mode mode) {
        Map<String, String> environment = new HashMap<>();
        // Lines look at the clock often, so a built day is reported soon after it ends.
        environment.put("PRODUCTION_LINES_POLLINTERVAL", "50ms");
        if (mode.tracing().equals("off")) {
            environment.put("MANAGEMENT_TRACING_ENABLED", "false");
        } else {
            environment.put("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", mode.tracing());
        }
        environment.put("ORDERS_ETA_PUBLISHCHANGES", String.valueOf(mode.etaChanged().equals("on")));
        environment.put("SU7_CALENDAR_FIRSTDAYSTARTSAT", FIRST_FACTORY_DAY.toString());
        return RunningSystem.start(stack, DAY_LENGTH, environment, PipelineBenchmark::jvmOptions);
    }

    /** The services' own JVM settings (scripts/run-service.sh), and a flight recording if asked for. */
    private static List<String> jvmOptions(String service) {
        List<String> options = new ArrayList<>();
        if (JFR) {
            try {
                Files.createDirectories(REPORTS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + REPORTS.resolve(service + "-service.jfr").toAbsolutePath());
        }
        return options;
    }

    @Test
    void measuresThroughputLatencyAndResources() throws SQLException, IOException {
        assertThat(queryValue("show fsync")).as("fsync").isEqualTo("on");
        assertThat(queryValue("show synchronous_commit")).as("synchronous_commit").isEqualTo("on");
        raiseCapacity();
        throughput("warm-up", WARM_UP);
        RestLoad rest = new RestLoad(stack.accessTokens(HttpClientCredentials.APP));
        if (PHASES.contains("rest")) {
            restPlacements(rest, "rest-warm-up", Duration.ofSeconds(5), new LinkedHashMap<>());
        }

        List<Map<String, Double>> runs = new ArrayList<>();
        KafkaCeiling ceiling = new KafkaCeiling(stack.kafkaClientSettings(KafkaPrincipal.ADMIN), Path.of("target", "system-logs"));
        for (int run = 1; run <= RUNS; run++) {
            Map<String, Double> runMetrics = new LinkedHashMap<>();
            for (Mode mode : MODES) {
                String label = mode.runLabel(run);
                if (MODES.size() > 1) {
                    system.close();
                    system = start(mode);
                    throughput(label + "-warm-up", WARM_UP);
                }
                Map<String, Double> metrics = measure(label, mode, ceiling, rest);
                metrics.forEach((name, value) -> runMetrics.put(MODES.size() == 1 ? name : "%s [%s]".formatted(name, mode.label()), value));
            }
            runs.add(runMetrics);
        }
        // Its own name with a history, so an invocation without one (the comparison) does not overwrite it.
        BenchmarkReport.write(HISTORY == 0 ? "pipeline" : "pipeline-history", "Pipeline: app request to DELIVERY_SCHEDULED, and the REST API",
                historyNote() + ("Tracing: %s. EtaChanged: %s. Phases: %s. REST: %d clients back to back, then %,d requests/s offered, %d s each. %,d preorders per throughput run; latency at %d preorders/s offered for %d s; %d runs (after a warm-up of %,d); "
                        + "factory day %s; durable PostgreSQL (fsync, synchronous_commit on), one Kafka broker, Apicurio Registry, "
                        + "three service processes, all on this machine's %d cores. Records produced per preorder: %d, and its EtaChanged events. "
                        + "A shared machine: compare the pipeline with the raw Kafka figure of the same run.").formatted(
                        TRACING.stream().map(tracing -> tracing.equals("off") ? "off" : "sampled at " + tracing + " (spans to Zipkin)")
                                .collect(java.util.stream.Collectors.joining(", then ")),
                        ETA_CHANGED.stream().map(on -> on.equals("on") ? "published" : "not published (history rows only)")
                                .collect(java.util.stream.Collectors.joining(", then ")), String.join(", ", PHASES), REST_CLIENTS, REST_RATE, REST_SECONDS, PREORDERS, OFFERED_RATE, LATENCY_SECONDS, RUNS, WARM_UP, DAY_LENGTH,
                        Runtime.getRuntime().availableProcessors(), RECORDS_PER_PREORDER),
                runs, BenchmarkReport.medians(runs));
    }

    private static String historyNote() {
        return HISTORY == 0 ? "" : "History: %,d delivered preorders of the year before in each service's database, filled before the warm-up (with vacuum analyze: %d s). "
                .formatted(HISTORY, historyFill.toSeconds());
    }

    /** One run's measurements, under {@code label} (its preorders' customer ids, its reports). */
    private static Map<String, Double> measure(String label, Mode mode, KafkaCeiling ceiling, RestLoad rest) throws SQLException, IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        KafkaCeiling.Rates raw = ceiling.measure("benchmark.raw-kafka-" + UUID.randomUUID(), RAW_KAFKA_RECORDS, RECORD_SIZE);
        metrics.put("raw Kafka produced (records/s)", raw.producedPerSecond());
        metrics.put("raw Kafka consumed (records/s)", raw.consumedPerSecond());
        if (PHASES.contains("rest")) {
            restPlacements(rest, "rest-" + label, Duration.ofSeconds(REST_SECONDS), metrics);
            metrics.put("REST placements saturated / raw Kafka produced (%)",
                    100 * metrics.get("REST placements saturated (/s)") / raw.producedPerSecond());
            restReads(rest, "rest-" + label, Duration.ofSeconds(REST_SECONDS), metrics);
        }
        if (!PHASES.contains("pipeline")) {
            System.out.printf("%s: %s%n", label, metrics);
            return metrics;
        }

        StatementStats statements = new StatementStats(stack::postgresSuperuser, stack.home().resolve("logs/postgres.log"));
        if (SQL_STATS) {
            statements.start();
        }
        Map<String, Long> ids = processIds();
        Map<String, ProcessStats> before = statsOf(ids);
        MemoryPeaks memory = MemoryPeaks.sample(() -> statsOf(ids));
        double preordersPerSecond;
        try {
            preordersPerSecond = throughput(label, PREORDERS);
        } finally {
            memory.close();
        }
        Map<String, ProcessStats> after = statsOf(ids);
        if (SQL_STATS) {
            statements.write("pipeline-statements-%s-throughput".formatted(label),
                    "PostgreSQL statements by execution time, %s, throughput: %,d preorders".formatted(label, PREORDERS), PREORDERS);
        }
        metrics.put("throughput (preorders/s)", preordersPerSecond);
        double etaChanges = etaChangesPerPreorder(label);
        metrics.put("EtaChanged per preorder", etaChanges);
        metrics.put("pipeline records produced (records/s)", preordersPerSecond * (RECORDS_PER_PREORDER + etaChanges));
        metrics.put("pipeline / raw Kafka produced (%)", 100 * preordersPerSecond * (RECORDS_PER_PREORDER + etaChanges) / raw.producedPerSecond());
        after.forEach((name, stats) -> {
            metrics.put(name + " CPU (s)", stats.since(before.get(name)).cpuSeconds());
            metrics.put(name + " CPU per 1,000 preorders (s)", stats.since(before.get(name)).cpuSeconds() * 1000 / PREORDERS);
            metrics.put(name + " memory PSS peak (MiB)", memory.peaks().get(name) / 1048576.0);
        });
        metrics.put("all processes memory PSS peak (MiB)", memory.totalPeak() / 1048576.0);
        double cpu = after.entrySet().stream().mapToDouble(entry -> entry.getValue().since(before.get(entry.getKey())).cpuSeconds()).sum();
        int cores = Runtime.getRuntime().availableProcessors();
        metrics.put("all processes CPU per 1,000 preorders (s)", cpu * 1000 / PREORDERS);
        double servicesCpu = RunningSystem.SERVICES.stream().mapToDouble(service -> after.get(service).since(before.get(service)).cpuSeconds()).sum();
        metrics.put("the three services' CPU per 1,000 preorders (s)", servicesCpu * 1000 / PREORDERS);
        // Neighbours on a shared machine take cores: what the pipeline got, and its rate if it had them all.
        metrics.put("share of the machine's CPU used by the system (%)", 100 * cpu * preordersPerSecond / PREORDERS / cores);
        metrics.put("CPU-bound ceiling with all cores (preorders/s)", cores * PREORDERS / cpu);
        for (String service : RunningSystem.SERVICES) {
            metrics.put(service + " heap used (MiB)", heapUsedMiB(service));
        }

        if (SQL_STATS) {
            statements.start();
        }
        Latency latency = latency("lat-" + label);
        if (SQL_STATS) {
            statements.write("pipeline-statements-%s-latency".formatted(label), "PostgreSQL statements by execution time, %s, latency: %,d preorders at %d/s"
                    .formatted(label, OFFERED_RATE * LATENCY_SECONDS, OFFERED_RATE), OFFERED_RATE * LATENCY_SECONDS);
        }
        metrics.put("latency offered rate (preorders/s)", (double) OFFERED_RATE);
        metrics.put("latency p50 (ms)", latency.endToEnd().getValueAtPercentile(50) / 1000.0);
        metrics.put("latency p95 (ms)", latency.endToEnd().getValueAtPercentile(95) / 1000.0);
        metrics.put("latency p99 (ms)", latency.endToEnd().getValueAtPercentile(99) / 1000.0);
        metrics.put("latency max (ms)", latency.endToEnd().getMaxValue() / 1000.0);
        latency.hops().forEach((hop, histogram) -> {
            metrics.put("latency " + hop + " p50 (ms)", histogram.getValueAtPercentile(50) / 1000.0);
            metrics.put("latency " + hop + " p99 (ms)", histogram.getValueAtPercentile(99) / 1000.0);
        });
        if (mode.etaChanged().equals("on")) {
            Histogram freshness = etaFreshness("lat-" + label);
            metrics.put("ETA freshness p50 (ms)", freshness.getValueAtPercentile(50) / 1000.0);
            metrics.put("ETA freshness p99 (ms)", freshness.getValueAtPercentile(99) / 1000.0);
            metrics.put("ETA freshness max (ms)", freshness.getMaxValue() / 1000.0);
        }

        System.out.printf("%s: %s%n", label, metrics);
        return metrics;
    }

    /**
     * POST /api/preorders as the car app's backend: {@link #REST_CLIENTS} clients back to back, then
     * {@link #REST_RATE} a second offered; each phase waits until the pipeline has scheduled what the one before
     * placed, so a phase does not pay for its predecessor's backlog.
     */
    private static void restPlacements(RestLoad rest, String run, Duration length, Map<String, Double> metrics) throws SQLException {
        URI preorders = system.service("orders").baseUri().resolve("/api/preorders");
        for (String phase : List.of("saturated", "at rate")) {
            long baseline = scheduledCount();
            String customers = run + "-" + phase.replace(' ', '-');
            Map<String, ProcessStats> before = processesWithLoadGenerator();
            RestLoad.Result placed = phase.equals("saturated")
                    ? rest.saturated(REST_CLIENTS, length, i -> placement(preorders, customers, i))
                    : rest.atRate(REST_RATE, length, i -> placement(preorders, customers, i));
            Map<String, ProcessStats> after = processesWithLoadGenerator();
            restMetrics("REST placements " + phase, placed, before, after, metrics);
            awaitScheduled(baseline + placed.requests() - placed.failed(), Duration.ofMinutes(5));
        }
    }

    /** GET a preorder, a customer's page and the stats (4:4:1) as the car app's backend, saturated then at a fixed rate. */
    private static void restReads(RestLoad rest, String run, Duration length, Map<String, Double> metrics) throws SQLException {
        URI orders = system.service("orders").baseUri();
        List<String[]> known = new ArrayList<>();
        try (Connection connection = PipelineBenchmark.orders.getConnection();
             PreparedStatement statement = connection.prepareStatement("select id, customer_id from preorder where customer_id like ? limit 20000")) {
            statement.setString(1, customerPrefix(run) + "%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    known.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
        }
        assertThat(known).as("preorders placed through REST to read").isNotEmpty();
        IntFunction<HttpRequest.Builder> reads = i -> {
            String[] preorder = known.get(Math.floorMod(i * 7919, known.size()));
            String path = switch (i % 9) {
                case 0, 1, 2, 3 -> "/api/preorders/" + preorder[0];
                case 4, 5, 6, 7 -> "/api/preorders?customerId=" + preorder[1];
                default -> "/api/preorders/stats";
            };
            return HttpRequest.newBuilder(orders.resolve(path)).GET();
        };
        for (String phase : List.of("saturated", "at rate")) {
            Map<String, ProcessStats> before = processesWithLoadGenerator();
            RestLoad.Result read = phase.equals("saturated") ? rest.saturated(REST_CLIENTS, length, reads) : rest.atRate(REST_RATE, length, reads);
            restMetrics("REST reads " + phase, read, before, processesWithLoadGenerator(), metrics);
        }
    }

    private static HttpRequest.Builder placement(URI preorders, String customers, int i) {
        String request = """
                {"customerId":"%s%d","variant":"%s","exteriorColor":"Aqua Blue","deliveryCity":"%s","deposit":5000.00,"channel":"APP"}"""
                .formatted(customerPrefix(customers), i, VARIANTS.get(i % VARIANTS.size()), CITIES.get(i % CITIES.size()));
        return HttpRequest.newBuilder(preorders).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.ofString(request));
    }

    private static void restMetrics(String name, RestLoad.Result result, Map<String, ProcessStats> before,
                                    Map<String, ProcessStats> after, Map<String, Double> metrics) {
        metrics.put(name + " (/s)", result.perSecond());
        metrics.put(name + " p50 (ms)", result.millisAt(50));
        metrics.put(name + " p95 (ms)", result.millisAt(95));
        metrics.put(name + " p99 (ms)", result.millisAt(99));
        metrics.put(name + " max (ms)", result.latencyMicros().getMaxValue() / 1000.0);
        metrics.put(name + " failed", (double) result.failed());
        after.forEach((process, stats) -> metrics.put("%s CPU per request, %s (ms)".formatted(name, process),
                stats.since(before.get(process)).cpuSeconds() * 1000 / Math.max(1, result.requests())));
        System.out.printf("%s: %,.0f/s, p50 %.1f ms, p99 %.1f ms, statuses %s%n", name, result.perSecond(),
                result.millisAt(50), result.millisAt(99), result.statuses());
    }

    /** Sends {@code count} requests at once; preorders/s from the first send to the last scheduled ETA. */
    private static double throughput(String run, int count) throws SQLException {
        long baseline = scheduledCount();
        long start = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            send(run, i);
        }
        app.flush();
        awaitScheduled(baseline + count, Duration.ofMinutes(5).plusSeconds(count / 200));
        long end = lastScheduledAt(run);
        return count * 1000.0 / (end - start);
    }

    /**
     * Sends at {@link #OFFERED_RATE} for {@link #LATENCY_SECONDS}; each latency runs from the request's intended
     * send time to orders-service's {@code updated_at} of the DELIVERY_SCHEDULED row (same machine, same clock).
     */
    private static Latency latency(String run) throws SQLException {
        long baseline = scheduledCount();
        int count = OFFERED_RATE * LATENCY_SECONDS;
        Map<String, Long> intendedAt = new HashMap<>(count * 2);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / OFFERED_RATE;
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            long due = startNanos + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the load generator, not waiting for an outcome
            }
            String requestId = send(run, i);
            intendedAt.put(requestId, startMillis * 1000 + (i * intervalNanos) / 1000);
        }
        app.flush();
        awaitScheduled(baseline + count, Duration.ofMinutes(5));
        Histogram histogram = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
        try (Connection connection = orders.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     select p.idempotency_key, (extract(epoch from e.updated_at) * 1000000)::bigint
                     from preorder p join preorder_eta e on e.preorder_id = p.id
                     where p.customer_id like ? and e.status = 'DELIVERY_SCHEDULED'""")) {
            statement.setString(1, customerPrefix(run) + "%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Long sent = intendedAt.get(rows.getString(1));
                    if (sent != null) {
                        histogram.recordValue(Math.max(0, rows.getLong(2) - sent));
                    }
                }
            }
        }
        assertThat(histogram.getTotalCount()).as("latencies measured").isEqualTo(count);
        return new Latency(histogram, hops(run, intendedAt));
    }

    /**
     * How long a customer's ETA lags the fact that changed it, as a notification service meets it: from the
     * {@code UnitBuilt} (or {@code DeliveryScheduled}) on its topic to the {@code EtaChanged} it caused on
     * {@code orders.eta-changed}, by the records' timestamps (each set when its relay sent it; one machine, one clock).
     * An EtaChanged of cause BUILT is matched to its preorder's UnitBuilt, one of cause SCHEDULED or RESCHEDULED to the
     * latest DeliveryScheduled of its preorder with the date it shows.
     */
    private static Histogram etaFreshness(String run) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = orders.getConnection();
             PreparedStatement statement = connection.prepareStatement("select id::text from preorder where customer_id like ?")) {
            statement.setString(1, customerPrefix(run) + "%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        Topic topics = new Topic(stack.kafkaClientSettings(KafkaPrincipal.ADMIN), stack.registryConfluentApiUrl());
        Map<String, Long> built = new HashMap<>();
        for (Topic.Decoded unit : topics.readAll(Topics.UNIT_BUILT, record -> ids.contains(record.key()))) {
            built.merge(unit.record().key(), unit.record().timestamp(), Math::min);
        }
        Map<String, Map<LocalDate, Long>> scheduled = new HashMap<>();
        for (Topic.Decoded schedule : topics.readAll(Topics.DELIVERY_SCHEDULED, record -> ids.contains(record.key()))) {
            scheduled.computeIfAbsent(schedule.record().key(), key -> new HashMap<>())
                    .merge(Topic.date(schedule.event(), "deliveryDate"), schedule.record().timestamp(), Math::max);
        }
        Histogram freshness = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
        for (Topic.Decoded change : topics.readAll(Topics.ETA_CHANGED, record -> ids.contains(record.key()))) {
            String preorder = change.record().key();
            Long cause = switch (change.event().get("cause").toString()) {
                case "BUILT" -> built.get(preorder);
                case "SCHEDULED", "RESCHEDULED" -> scheduled.getOrDefault(preorder, Map.of()).get(Topic.date(change.event(), "latest"));
                default -> null;
            };
            if (cause != null) {
                freshness.recordValue(Math.max(0, change.record().timestamp() - cause) * 1000);
            }
        }
        assertThat(freshness.getTotalCount()).as("EtaChanged matched to the UnitBuilt they follow").isGreaterThanOrEqualTo(ids.size());
        return freshness;
    }

    /** EtaChanged events (history rows) per preorder of a throughput run: the records the new events add. */
    private static double etaChangesPerPreorder(String run) throws SQLException {
        try (Connection connection = orders.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     select count(h.id)::float8 / count(distinct p.id) from preorder p join eta_history h on h.preorder_id = p.id
                     where p.customer_id like ?""")) {
            statement.setString(1, customerPrefix(run) + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getDouble(1);
            }
        }
    }

    /** The end-to-end latency and its hops as orders-service saw them. */
    private record Latency(Histogram endToEnd, Map<String, Histogram> hops) {
    }

    /**
     * Where the time goes, from orders-service's ETA history: request to placed (orders), placed to BUILT applied
     * (production's day and both relays), BUILT to SCHEDULED applied (delivery and its relay). A preorder whose
     * scheduled date equals its built estimate has no SCHEDULED row and is left out of the last hop.
     */
    private static Map<String, Histogram> hops(String run, Map<String, Long> intendedAt) throws SQLException {
        Map<String, Map<String, Long>> at = new HashMap<>();
        try (Connection connection = orders.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     select p.idempotency_key, h.cause, (extract(epoch from h.at) * 1000000)::bigint
                     from preorder p join eta_history h on h.preorder_id = p.id
                     where p.customer_id like ? and h.cause in ('PLACED', 'BUILT', 'SCHEDULED')""")) {
            statement.setString(1, customerPrefix(run) + "%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    at.computeIfAbsent(rows.getString(1), key -> new HashMap<>()).put(rows.getString(2), rows.getLong(3));
                }
            }
        }
        Map<String, Histogram> hops = new LinkedHashMap<>();
        for (String hop : List.of("request to placed", "placed to built", "built to scheduled")) {
            hops.put(hop, new Histogram(TimeUnit.HOURS.toMicros(1), 3));
        }
        at.forEach((requestId, causes) -> {
            Long sent = intendedAt.get(requestId);
            record(hops.get("request to placed"), sent, causes.get("PLACED"));
            record(hops.get("placed to built"), causes.get("PLACED"), causes.get("BUILT"));
            record(hops.get("built to scheduled"), causes.get("BUILT"), causes.get("SCHEDULED"));
        });
        return hops;
    }

    private static void record(Histogram histogram, Long from, Long to) {
        if (from != null && to != null) {
            histogram.recordValue(Math.max(0, to - from));
        }
    }

    private static String send(String run, int i) {
        String requestId = UUID.randomUUID().toString();
        String request = """
                {"requestId":"%s","customerId":"%s%d","variant":"%s","exteriorColor":"Aqua Blue","deliveryCity":"%s","deposit":5000.00,"channel":"APP"}"""
                .formatted(requestId, customerPrefix(run), i, VARIANTS.get(i % VARIANTS.size()), CITIES.get(i % CITIES.size()));
        app.send(new ProducerRecord<>(Topics.PREORDER_REQUESTS, requestId, request));
        return requestId;
    }

    private static String customerPrefix(String run) {
        return "bench-" + run + "-";
    }

    private static void awaitScheduled(long total, Duration patience) {
        // Seldom (the rate comes from the rows' updated_at, not from this), from the status counts orders-service keeps
        // (a sum of a few delta rows): a count of the projection would read a year's history too, loading the
        // database it measures.
        await().atMost(patience).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(scheduledCount()).as("preorders DELIVERY_SCHEDULED in orders-service").isGreaterThanOrEqualTo(total));
    }

    /** The preorders DELIVERY_SCHEDULED in orders-service, from the status deltas its triggers keep (V8). */
    private static long scheduledCount() throws SQLException {
        return Long.parseLong(queryValue("select coalesce(sum(delta), 0) from preorder_status_delta where status = 'DELIVERY_SCHEDULED'"));
    }

    private static long lastScheduledAt(String run) throws SQLException {
        try (Connection connection = orders.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     select (extract(epoch from max(e.updated_at)) * 1000)::bigint
                     from preorder p join preorder_eta e on e.preorder_id = p.id
                     where p.customer_id like ? and e.status = 'DELIVERY_SCHEDULED'""")) {
            statement.setString(1, customerPrefix(run) + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String queryValue(String sql) throws SQLException {
        try (Connection connection = orders.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** Production builds up to 100,000 a factory day and every delivery centre hands over its maximum. */
    private static void raiseCapacity() {
        URI production = system.service("production").baseUri().resolve("/api/production/capacity-plan");
        // From ten seconds of factory days ahead: with short days, today may be built before a slow request
        // arrives (then it is refused, and tried again). The warm-up absorbs the days before.
        long daysAhead = Math.max(20, Duration.ofSeconds(10).dividedBy(DAY_LENGTH));
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            String from = factoryToday().plusDays(daysAhead).toString();
            ObjectNode plan = Api.JSON.createObjectNode().put("from", from).put("changedBy", "pipeline-benchmark")
                    .put("reason", "production is not the limit of the benchmark");
            plan.putArray("periods").addObject().put("from", from).put("unitsPerDay", 100_000);
            expectOk(Api.put(production, plan));
        });

        URI centers = system.service("delivery").baseUri().resolve("/api/delivery/centers");
        for (JsonNode center : (ArrayNode) Api.get(centers).orElseThrow()) {
            ObjectNode capacity = Api.JSON.createObjectNode().put("dailyCapacity", 5_000).put("changedBy", "pipeline-benchmark")
                    .put("reason", "delivery is not the limit of the benchmark");
            expectOk(Api.put(centers.resolve("/api/delivery/centers/" + center.path("city").asString()), capacity));
        }
    }

    /** The factory's date now, as production-service tells it. */
    private static LocalDate factoryToday() {
        URI plan = system.service("production").baseUri().resolve("/api/production/capacity-plan");
        return LocalDate.parse(Api.get(plan).orElseThrow().path("today").asString());
    }

    private static void expectOk(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Every process of the system: the three services, Kafka, the registry, PostgreSQL with its backends, the authorization server. */
    private static Map<String, ProcessStats> processes() throws SQLException {
        return statsOf(processIds());
    }

    /** The root process of each part of the system (PostgreSQL's postmaster, whose backends count with it). */
    private static Map<String, Long> processIds() throws SQLException {
        Map<String, Long> ids = new LinkedHashMap<>();
        for (String service : RunningSystem.SERVICES) {
            ids.put(service, system.service(service).pid());
        }
        ids.put("Kafka", stackPid("Kafka"));
        ids.put("registry", stackPid("Schema registry"));
        ids.put("PostgreSQL", postmasterPid());
        ids.put("authorization server", stackPid("Authorization"));
        if (stack.zipkinUrl().isPresent()) {
            ids.put("Zipkin", stackPid("Zipkin"));
        }
        return ids;
    }

    private static Map<String, ProcessStats> statsOf(Map<String, Long> ids) {
        Map<String, ProcessStats> stats = new LinkedHashMap<>();
        ids.forEach((name, pid) -> stats.put(name, ProcessStats.of(pid)));
        return stats;
    }

    /** {@link #processes()} and this JVM, which sends the REST load: on the same cores, so it counts too. */
    private static Map<String, ProcessStats> processesWithLoadGenerator() throws SQLException {
        Map<String, ProcessStats> stats = processes();
        stats.put("load generator", ProcessStats.ofProcessOnly(ProcessHandle.current().pid()));
        return stats;
    }

    /** The parent of this connection's backend, read while the backend lives. */
    private static long postmasterPid() throws SQLException {
        try (Connection connection = orders.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select pg_backend_pid()")) {
            rows.next();
            return ProcessStats.parentOf(rows.getLong(1));
        }
    }

    /** The pid the local stack reports for one of its servers ("Kafka ... (pid 123)"). */
    private static long stackPid(String server) {
        Matcher pid = Pattern.compile("^" + server + " .*\\(pid (\\d+)\\)$", Pattern.MULTILINE).matcher(stack.describe());
        if (!pid.find()) {
            throw new IllegalStateException("the local stack names no pid for " + server + ":\n" + stack.describe());
        }
        return Long.parseLong(pid.group(1));
    }

    private static double heapUsedMiB(String service) {
        String metrics = Api.getText(system.service(service).baseUri().resolve("/actuator/prometheus"));
        return metrics.lines().filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum() / 1048576.0;
    }
}
