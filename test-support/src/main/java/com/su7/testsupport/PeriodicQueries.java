package com.su7.testsupport;

import com.su7.localstack.LocalStack;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Times what a service asks its database on its own schedule (gauges, counts, refreshes, clean-ups), through the
 * service's own code, in phases (the same queries before and after the database got its history): the median of
 * {@code benchmark.executions} calls each, and the plans PostgreSQL ran them with. The plans come from auto_explain
 * (the local stack loads it, logging nothing until asked): for one more call of each query it logs every statement's
 * plan with its actual rows and buffers, read back from PostgreSQL's log. {@link #write} puts the table in
 * {@code target/benchmarks/<name>.md}, each median marked against the {@value #TARGET_MILLIS} ms target (a report, not
 * an assertion: speed is never asserted here), and the plans in {@code <name>-plans.md}.
 */
public final class PeriodicQueries {

    private static final int EXECUTIONS = Integer.getInteger("benchmark.executions", 20);
    private static final int WARM_UP = 3;
    /** What a query a service runs on its own should cost, however much history lies behind it. */
    static final double TARGET_MILLIS = 10;
    /** A plan node: its name and, for a scan, the index or table it reads. */
    private static final Pattern NODE = Pattern.compile(
            "^\\s*(?:->\\s+)?([A-Z][A-Za-z ]*?)(?: using (\\S+))?(?: on (\\S+)(?: \\S+)?)?(?: \"[^\"]*\")?\\s+\\(cost=.*?\\(actual time=[\\d.]+\\.\\.([\\d.]+) rows=(\\d+)");
    private static final Pattern PLAN_START = Pattern.compile("LOG:\\s+duration: ([\\d.]+) ms\\s+plan:");

    private final DataSource superuser;
    private final Path postgresLog;
    private final Map<String, Query> queries = new LinkedHashMap<>();
    private final Map<String, Map<String, Measurement>> phases = new LinkedHashMap<>();

    private record Query(String name, String when, Runnable call) {
    }

    /** One query in one phase: the median and slowest of its timed calls, and the plans of one more call. */
    public record Measurement(double medianMillis, double maxMillis, List<String> plans) {

        /** The plans' nodes, outermost first, scans with what they read: what the table shows. */
        String shape() {
            return plans.stream().map(PeriodicQueries::shapeOf).collect(Collectors.joining("; "));
        }
    }

    /**
     * @param superuser   the {@code postgres} database as superuser (auto_explain is switched on with {@code alter system})
     * @param postgresLog where the local stack's PostgreSQL writes its log
     */
    private PeriodicQueries(DataSource superuser, Path postgresLog) {
        this.superuser = superuser;
        this.postgresLog = postgresLog;
    }

    /** On the local stack's PostgreSQL, which must be durable (fsync on) for the timings to mean what they say. */
    public static PeriodicQueries onTheLocalStack() {
        LocalStack stack = SharedLocalStack.get();
        DataSource superuser = stack.postgresSuperuser("postgres");
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement();
             ResultSet fsync = statement.executeQuery("show fsync")) {
            fsync.next();
            if (!fsync.getString(1).equals("on")) {
                throw new IllegalStateException("benchmarks run on a durable PostgreSQL: run them with -Pbenchmark");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot ask PostgreSQL whether it is durable: " + e.getMessage(), e);
        }
        return new PeriodicQueries(superuser, stack.home().resolve("logs/postgres.log"));
    }

    /** A query to time in every phase: {@code when} says what runs it and how often. */
    public PeriodicQueries add(String name, String when, Runnable call) {
        queries.put(name, new Query(name, when, call));
        return this;
    }

    /** Times every query now, as the phase {@code phase}; returns the measurements by query. */
    public Map<String, Measurement> measure(String phase) {
        Map<String, Measurement> measured = new LinkedHashMap<>();
        for (Query query : queries.values()) {
            for (int i = 0; i < WARM_UP; i++) {
                query.call().run();
            }
            double[] millis = new double[EXECUTIONS];
            for (int i = 0; i < EXECUTIONS; i++) {
                long start = System.nanoTime();
                query.call().run();
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            Measurement measurement = new Measurement(millis[EXECUTIONS / 2], millis[EXECUTIONS - 1], plansOf(query));
            System.out.printf("%s | %s: median %.2f ms, max %.2f ms | %s%n", phase, query.name(), measurement.medianMillis(),
                    measurement.maxMillis(), measurement.shape());
            measured.put(query.name(), measurement);
        }
        phases.put(phase, measured);
        return measured;
    }

    /** The plans of one call: auto_explain on for every statement, with actual rows and buffers, then off. */
    private List<String> plansOf(Query query) {
        long logLength = logLength();
        explain(true);
        try {
            // A pooled connection that sat idle reads the new settings with its next statement: call twice.
            query.call().run();
            query.call().run();
        } finally {
            explain(false);
        }
        Map<String, String> byStatement = new LinkedHashMap<>();
        for (String plan : plansLoggedSince(logLength)) {
            byStatement.put(plan.lines().filter(line -> line.strip().startsWith("Query Text:")).findFirst().orElse(plan), plan);
        }
        return new ArrayList<>(byStatement.values());
    }

    /** "none", or the queries over the target with their medians. */
    private static String overTarget(Map<String, Measurement> phase) {
        List<String> over = phase.entrySet().stream().filter(query -> query.getValue().medianMillis() >= TARGET_MILLIS)
                .map(query -> "%s (%.1f ms)".formatted(query.getKey(), query.getValue().medianMillis())).toList();
        return over.isEmpty() ? "none" : String.join(", ", over);
    }

    private void explain(boolean on) {
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("alter system set auto_explain.log_min_duration = " + (on ? "0" : "-1"));
            statement.execute("alter system set auto_explain.log_analyze = " + on);
            statement.execute("alter system set auto_explain.log_buffers = " + on);
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot switch auto_explain " + (on ? "on" : "off") + ": " + e.getMessage(), e);
        }
        // The postmaster passes the reload on to every backend asynchronously.
        LockSupport.parkNanos(300_000_000L);
    }

    private long logLength() {
        try {
            return Files.size(postgresLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** auto_explain's entries: a "duration: … plan:" line, then the plan's lines, each starting with a tab. */
    private List<String> plansLoggedSince(long position) {
        List<String> plans = new ArrayList<>();
        try (var log = Files.newByteChannel(postgresLog)) {
            log.position(position);
            StringBuilder plan = null;
            for (String line : new String(Channels.newInputStream(log).readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher start = PLAN_START.matcher(line);
                if (start.find()) {
                    plan = new StringBuilder("duration: %s ms%n".formatted(start.group(1)));
                    plans.add(null);
                } else if (plan != null && line.startsWith("\t")) {
                    plan.append(line.substring(1)).append('\n');
                    plans.set(plans.size() - 1, plan.toString());
                } else {
                    plan = null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PostgreSQL's log " + postgresLog, e);
        }
        return plans.stream().filter(plan -> plan != null).toList();
    }

    /** "Aggregate > Index Only Scan production_queue_order (50,000 rows)": each node once, in plan order. */
    static String shapeOf(String plan) {
        Set<String> nodes = new LinkedHashSet<>();
        for (String line : plan.lines().toList()) {
            Matcher node = NODE.matcher(line);
            if (node.find()) {
                String target = node.group(2) != null ? node.group(2) : node.group(3);
                boolean scan = node.group(1).contains("Scan");
                nodes.add(node.group(1) + (target == null ? "" : " " + target)
                        + (scan ? " (%,d rows)".formatted(Long.parseLong(node.group(5))) : ""));
            }
        }
        return String.join(" > ", nodes);
    }

    /**
     * Writes {@code target/benchmarks/<name>.md} (each query's median per phase, ✓ under the target or ✗ over it, its
     * plan shape in the last phase, and per phase the queries over the target) and {@code <name>-plans.md} (every plan
     * in full), and prints the table.
     */
    public void write(String name, String title, String setup) {
        List<String> phaseNames = new ArrayList<>(phases.keySet());
        StringBuilder markdown = new StringBuilder("# %s%n%n%s%n%nMedian of %d calls each (ms), after %d warm-up calls.%n%n"
                .formatted(title, setup, EXECUTIONS, WARM_UP));
        markdown.append("| query | run by | ").append(phaseNames.stream().map(phase -> phase + " (ms)").collect(Collectors.joining(" | ")))
                .append(" | plan, ").append(phaseNames.getLast()).append(" |\n|---|---|")
                .append("---:|".repeat(phaseNames.size())).append("---|\n");
        StringBuilder plans = new StringBuilder("# %s: plans%n".formatted(title));
        for (Query query : queries.values()) {
            markdown.append("| %s | %s | ".formatted(query.name(), query.when()));
            for (String phase : phaseNames) {
                Measurement measurement = phases.get(phase).get(query.name());
                markdown.append("%.2f %s | ".formatted(measurement.medianMillis(), measurement.medianMillis() < TARGET_MILLIS ? "✓" : "✗"));
            }
            markdown.append(phases.get(phaseNames.getLast()).get(query.name()).shape().replace("|", "\\|")).append(" |\n");
            plans.append("\n## ").append(query.name()).append('\n');
            for (String phase : phaseNames) {
                plans.append("\n### ").append(phase).append("\n\n```\n")
                        .append(String.join("\n", phases.get(phase).get(query.name()).plans())).append("```\n");
            }
        }
        markdown.append("\n");
        for (String phase : phaseNames) {
            markdown.append("Over %.0f ms, %s: %s.%n".formatted(TARGET_MILLIS, phase, overTarget(phases.get(phase))));
        }
        try {
            Path directory = Files.createDirectories(Path.of("target", "benchmarks"));
            Files.writeString(directory.resolve(name + ".md"), markdown);
            Files.writeString(directory.resolve(name + "-plans.md"), plans);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the %s report".formatted(name), e);
        }
        System.out.print(markdown);
    }
}
