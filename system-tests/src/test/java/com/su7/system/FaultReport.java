package com.su7.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The fault suite's table: one row per case, written as Markdown and JSON to {@code target/fault-suite/<name>.md|json}
 * (a table of cases, not medians of metrics, so not test-support's BenchmarkReport).
 */
final class FaultReport {

    record Row(String fault, int preorders, int lost, int duplicated, int redelivered, int deadLetters,
               Duration faultLasted, Duration recoveredAfter, int failedRequests, Duration maxRestLatency,
               Duration maxAppAckLatency) {
    }

    private final String name;
    private final String title;
    private final List<Row> rows = new CopyOnWriteArrayList<>();

    FaultReport(String name, String title) {
        this.name = name;
        this.title = title;
    }

    void add(Row row) {
        rows.add(row);
        write();
    }

    private void write() {
        StringBuilder markdown = new StringBuilder("""
                # %s

                Preorders from both entry points (REST, app.preorder-requests) during each fault; every one checked at the end
                (orders API, the three projections, the topics through the Confluent wire format). "recovered after" runs from the
                end of the fault until every preorder accepted before it was DELIVERY_SCHEDULED in orders-service. "redelivered":
                the same event (eventId) written twice, which consumers deduplicate. "failed requests": REST attempts the app
                retried (same Idempotency-Key).

                | case | preorders | lost | duplicated | redelivered | DLT records | fault lasted (s) | recovered after (s) | failed requests | max REST latency (ms) | max app ack (ms) |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """.formatted(title));
        rows.forEach(row -> markdown.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f | %.1f | %d | %d | %d |%n",
                row.fault(), row.preorders(), row.lost(), row.duplicated(), row.redelivered(), row.deadLetters(),
                seconds(row.faultLasted()), seconds(row.recoveredAfter()), row.failedRequests(),
                row.maxRestLatency().toMillis(), row.maxAppAckLatency().toMillis())));
        String json = rows.stream().map(row -> String.format(Locale.ROOT, """
                  {"case": "%s", "preorders": %d, "lost": %d, "duplicated": %d, "redelivered": %d, "deadLetters": %d, \
                "faultLastedSeconds": %.1f, "recoveredAfterSeconds": %.1f, "failedRequests": %d, "maxRestLatencyMs": %d, "maxAppAckMs": %d}""",
                row.fault(), row.preorders(), row.lost(), row.duplicated(), row.redelivered(), row.deadLetters(),
                seconds(row.faultLasted()), seconds(row.recoveredAfter()), row.failedRequests(),
                row.maxRestLatency().toMillis(), row.maxAppAckLatency().toMillis()))
                .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
        write(name, markdown.toString(), json);
    }

    /** Writes a report of the suite to {@code target/fault-suite/<name>.md|json} and prints its Markdown. */
    static void write(String name, String markdown, String json) {
        try {
            Path directory = Files.createDirectories(Path.of("target", "fault-suite"));
            Files.writeString(directory.resolve(name + ".md"), markdown);
            Files.writeString(directory.resolve(name + ".json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fault report " + name, e);
        }
        System.out.print(markdown);
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
