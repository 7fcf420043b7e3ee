package com.su7.system;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import static com.su7.system.FaultReport.seconds;

/**
 * The rolling-upgrade rehearsal's report, {@code target/fault-suite/rolling-upgrade.md|json}: the two versions, then
 * per upgrade order the preorders and what became of them, each switch with the outbox rows it left, and each event
 * subject with which release wrote and read its records.
 */
final class RollingUpgradeReport {

    private static final String NAME = "rolling-upgrade";

    private final String previous;
    private final String current;
    private final List<RollingUpgrade.Scenario> scenarios = new CopyOnWriteArrayList<>();

    /** @param previous the previous release's tags and commit id; {@code current} the current build's commit */
    RollingUpgradeReport(String previous, String current) {
        this.previous = previous;
        this.current = current;
    }

    void add(RollingUpgrade.Scenario scenario) {
        scenarios.add(scenario);
        FaultReport.write(NAME, markdown(), json());
    }

    private String markdown() {
        StringBuilder text = new StringBuilder("""
                # Rolling upgrade rehearsal

                From the previous release %s to the current build %s. The previous release's three services run under a
                steady load (5 preorders a second through REST, 5 through app.preorder-requests; once orders-service runs the
                current build, a third of them choose interior and wheels); each service in turn is killed (SIGKILL) with rows
                left in its outbox and started from the current build, the load going on; then every preorder is checked as in
                the fault suite. A record read by a reader that switched after it reached Kafka was read by the reader's
                previous release ("old readers read new", summed over the topic's readers); one that reached Kafka after the
                reader's switch, by its current build.

                | upgrade order | preorders | lost | duplicated | redelivered | DLT records | dead letters kept | outbox rows set aside | old readers read new events (with values in new fields) | new readers read old events | failed requests | max REST latency (ms) | took (s) |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """.formatted(previous, current));
        for (RollingUpgrade.Scenario scenario : scenarios) {
            text.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d (%d) | %d | %d | %d | %.0f |%n",
                    order(scenario), scenario.audit().preorders(), scenario.audit().lost().size(), scenario.audit().duplicated().size(),
                    scenario.audit().redelivered(), scenario.deadLetterRecords(), scenario.deadLettersKept(), scenario.rowsSetAside(),
                    sum(scenario, RollingUpgrade.Subject::oldReadersReadNew), sum(scenario, RollingUpgrade.Subject::oldReadersReadNewValues),
                    sum(scenario, RollingUpgrade.Subject::newReadersReadOld),
                    scenario.failedRequests(), scenario.maxRestLatency().toMillis(), seconds(scenario.took())));
        }
        text.append("""

                | upgrade order | step | service | killed at (s) | outbox rows left (found by the new instance) | down (s) | left rows published after (s) |
                |---|---:|---|---:|---|---:|---:|
                """);
        for (RollingUpgrade.Scenario scenario : scenarios) {
            for (int step = 0; step < scenario.switches().size(); step++) {
                RollingUpgrade.Switch change = scenario.switches().get(step);
                text.append(String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %s | %.1f | %.1f |%n", order(scenario), step + 1,
                        change.service(), seconds(change.at()), rows(change.rowsLeft()), seconds(change.down()), seconds(change.drainedAfter())));
            }
        }
        text.append("""

                | upgrade order | subject | schema changed (new fields) | registry: version → id | records by previous / current schema | old readers read new (with values in new fields) | new readers read old |
                |---|---|---|---|---|---:|---:|
                """);
        for (RollingUpgrade.Scenario scenario : scenarios) {
            for (RollingUpgrade.Subject subject : scenario.subjects()) {
                text.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d / %d | %d (%d) | %d |%n", order(scenario), subject.subject(),
                        changed(subject), versions(subject.registered()), subject.previousRecords(), subject.currentRecords(),
                        subject.oldReadersReadNew(), subject.oldReadersReadNewValues(), subject.newReadersReadOld()));
            }
        }
        return text.toString();
    }

    private String json() {
        String entries = scenarios.stream().map(scenario -> String.format(Locale.ROOT, """
                    {"order": [%s], "preorders": %d, "lost": %d, "duplicated": %d, "redelivered": %d, "deadLetterRecords": %d, \
                "deadLettersKept": %d, "outboxRowsSetAside": %d, "failedRequests": %d, "maxRestLatencyMs": %d, "tookSeconds": %.1f,
                     "switches": [%s],
                     "subjects": [%s]}""",
                quoted(scenario.order()), scenario.audit().preorders(), scenario.audit().lost().size(), scenario.audit().duplicated().size(),
                scenario.audit().redelivered(), scenario.deadLetterRecords(), scenario.deadLettersKept(), scenario.rowsSetAside(),
                scenario.failedRequests(), scenario.maxRestLatency().toMillis(), seconds(scenario.took()),
                scenario.switches().stream().map(change -> String.format(Locale.ROOT,
                        "{\"service\": \"%s\", \"killedAtSeconds\": %.1f, \"outboxRowsLeft\": {%s}, \"downSeconds\": %.1f, \"leftRowsPublishedAfterSeconds\": %.1f}",
                        change.service(), seconds(change.at()), change.rowsLeft().entrySet().stream()
                                .map(rows -> "\"%s\": %d".formatted(rows.getKey(), rows.getValue())).collect(Collectors.joining(", ")),
                        seconds(change.down()), seconds(change.drainedAfter()))).collect(Collectors.joining(", ")),
                scenario.subjects().stream().map(subject -> String.format(Locale.ROOT,
                        "{\"subject\": \"%s\", \"changed\": %s, \"newFields\": [%s], \"registeredIds\": [%s], \"previousId\": %d, \"currentId\": %d, "
                                + "\"previousRecords\": %d, \"currentRecords\": %d, \"oldReadersReadNew\": %d, \"oldReadersReadNewValues\": %d, \"newReadersReadOld\": %d}",
                        subject.subject(), subject.changed(), quoted(subject.newFields()),
                        subject.registered().values().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                        subject.previousId(), subject.currentId(), subject.previousRecords(), subject.currentRecords(),
                        subject.oldReadersReadNew(), subject.oldReadersReadNewValues(), subject.newReadersReadOld())).collect(Collectors.joining(", "))))
                .collect(Collectors.joining(",\n"));
        return """
                {"previous": "%s", "current": "%s", "scenarios": [
                %s
                ]}
                """.formatted(previous, current, entries);
    }

    private static String order(RollingUpgrade.Scenario scenario) {
        return String.join(" → ", scenario.order());
    }

    private static long sum(RollingUpgrade.Scenario scenario, ToLongFunction<RollingUpgrade.Subject> count) {
        return scenario.subjects().stream().mapToLong(count).sum();
    }

    private static String changed(RollingUpgrade.Subject subject) {
        if (!subject.changed()) {
            return "no";
        }
        if (subject.previousId() == 0) {
            return "new in this release";
        }
        return subject.newFields().isEmpty() ? "yes" : "yes (" + String.join(", ", subject.newFields()) + ")";
    }

    private static String rows(Map<String, Long> byTable) {
        return byTable.entrySet().stream().map(rows -> rows.getKey() + " " + rows.getValue()).collect(Collectors.joining(", "));
    }

    private static String versions(Map<Integer, Integer> idsByVersion) {
        return idsByVersion.entrySet().stream().map(version -> version.getKey() + " → " + version.getValue()).collect(Collectors.joining(", "));
    }

    private static String quoted(List<String> names) {
        return names.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(", "));
    }
}
