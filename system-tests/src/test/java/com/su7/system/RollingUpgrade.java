package com.su7.system;

import com.su7.contract.EventSchemas;
import com.su7.contract.SchemaTree;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One rehearsal of a rolling upgrade on a system that runs the previous release: a steady load of preorders from
 * both entry points, and each service in turn killed (SIGKILL) with rows left in its outbox and started again from
 * the current build, while the load goes on. Then every preorder is audited from outside, the dead letters and the
 * outbox rows set aside are counted, and the topics say which release wrote each event and which release read it.
 * <p>
 * Rows are left in an outbox as a slow Kafka would leave them: the rehearsal takes the relay's lock until the outbox
 * holds some, kills the instance, counts what it left (the rows the new instance finds) and lets go.
 */
final class RollingUpgrade {

    private static final int PREORDERS_PER_SECOND_PER_ENTRY_POINT = 5;
    /** Preorders accepted before each switch and after the last: every mix of releases carries traffic. */
    private static final int BETWEEN_SWITCHES = 300;
    /** Rows an instance's outbox holds, at least, when it is killed. */
    private static final int ROWS_LEFT = 25;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private final LocalStack stack;
    private final RunningSystem system;
    private final Release current;
    private final SchemaTree previousSchemas;
    private final Outboxes outboxes;
    private final PreorderAudit audit;
    private final RegisteredSchemas registry;
    private final Topic topics;

    /** @param faults a system started on the previous release, whose schemas are {@code previousSchemas} */
    RollingUpgrade(FaultSystem faults, SchemaTree previousSchemas, Release current) {
        this.stack = faults.stack();
        this.system = faults.system();
        this.current = current;
        this.previousSchemas = previousSchemas;
        this.outboxes = new Outboxes(stack);
        Map<String, Object> admin = stack.kafkaClientSettings(KafkaPrincipal.ADMIN);
        this.audit = new PreorderAudit(system, admin, stack.registryConfluentApiUrl());
        this.registry = new RegisteredSchemas(stack.registryConfluentApiUrl());
        this.topics = new Topic(admin, stack.registryConfluentApiUrl());
    }

    /**
     * One instance replaced.
     *
     * @param at           when its old instance was killed, from the start of the load
     * @param rowsLeft     the rows its outbox tables held then: what the new instance found
     * @param down         from the kill until the new instance was ready
     * @param drainedAfter from then until every row left was published
     */
    record Switch(String service, Duration at, Instant killedAt, Map<String, Long> rowsLeft, Duration down, Duration drainedAfter) {
    }

    /**
     * One event subject across the upgrade.
     *
     * @param changed          whether the current build's schema differs from the previous release's in Avro's
     *                         parsing canonical form (docs and defaults aside), as the registry tells versions apart
     * @param newFields        the fields the current schema has and the previous release's lacks
     * @param registered       the registry's versions of the subject and their schema ids, afterwards
     * @param previousId       the schema id the previous release registered (and its instances wrote with)
     * @param currentId        the schema id the current build registered
     * @param previousRecords  records on the topic written with the previous release's schema
     * @param currentRecords   ... with the current build's, when it differs
     * @param oldReadersReadNew records written with the current schema that reached Kafka before a reader's switch,
     *                         summed over the topic's readers (each read by that reader's previous release)
     * @param oldReadersReadNewValues those of them with a value in a new field
     * @param newReadersReadOld records written with the previous schema that reached Kafka after a reader's switch
     */
    record Subject(String subject, boolean changed, List<String> newFields, Map<Integer, Integer> registered, int previousId,
                   int currentId, long previousRecords, long currentRecords, long oldReadersReadNew,
                   long oldReadersReadNewValues, long newReadersReadOld) {
    }

    record Scenario(List<String> order, List<Switch> switches, List<Subject> subjects, PreorderAudit.Result audit,
                    int deadLetterRecords, int deadLettersKept, long rowsSetAside, int failedRequests,
                    Duration maxRestLatency, Duration took, List<String> problems) {
    }

    /** Replaces the services in {@code order}, each by the current build, under load; then audits. */
    Scenario run(List<String> order) {
        Map<String, Integer> previousIds = new HashMap<>();
        // An event new in this release has no subject yet: 0, no schema's id.
        EventSchemas.ALL.forEach(event -> previousIds.put(event.subject(), registry.latestIdOrNone(event.subject())));
        long started = System.nanoTime();
        List<Switch> switches = new ArrayList<>();
        try (PreorderLoad load = new PreorderLoad(system.service("orders").baseUri(), stack.kafkaClientSettings(KafkaPrincipal.APP.name()),
                PREORDERS_PER_SECOND_PER_ENTRY_POINT)) {
            for (String service : order) {
                FaultCases.awaitMore(load, BETWEEN_SWITCHES);
                switches.add(upgrade(service, started));
                if (service.equals("orders")) {
                    load.chooseOptions();
                }
            }
            // Every service of this release is up: customers may cancel (a release before it has no cancellations).
            load.cancelSome();
            FaultCases.awaitMore(load, BETWEEN_SWITCHES);
            load.stop();

            // The previous release of orders-service published no EtaChanged: what it showed before its switch is no event.
            Instant ordersSwitched = switches.stream().filter(step -> step.service().equals("orders")).findFirst().orElseThrow().killedAt();
            PreorderAudit.Result result = audit.audit(load, ordersSwitched);
            List<String> problems = new ArrayList<>(result.problems().stream().limit(20).toList());
            Map<String, Instant> switchedAt = new HashMap<>();
            switches.forEach(step -> switchedAt.put(step.service(), step.killedAt()));
            List<Subject> subjects = EventSchemas.ALL.stream()
                    .map(event -> subject(event, previousIds.get(event.subject()), switchedAt, order, problems)).toList();
            int deadLetterRecords = audit.deadLetters(FaultCases.CONSUMED_TOPICS.keySet());
            int deadLettersKept = sumOverServices("/api/dead-letters?limit=1000", "count");
            long setAside = sumOverServices("/api/outbox", "setAside");
            if (deadLetterRecords + deadLettersKept > 0) {
                problems.add("%d dead-letter records, %d dead letters kept by the services".formatted(deadLetterRecords, deadLettersKept));
            }
            if (setAside > 0) {
                problems.add(setAside + " outbox rows set aside");
            }
            problems.addAll(keptCountsThatDisagree());
            return new Scenario(order, switches, subjects, result, deadLetterRecords, deadLettersKept, setAside,
                    load.failedAttempts(), load.maxRestLatency(), Duration.ofNanos(System.nanoTime() - started), problems);
        }
    }

    /** A count a service keeps as deltas, and the count of its rows it must equal. */
    private record KeptCount(String service, String what, String kept, String counted) {
    }

    /** Their triggers are created by migrations while the previous release writes: nothing may be missed or counted twice. */
    private static final List<KeptCount> KEPT_COUNTS = List.of(
            new KeptCount("orders", "preorders by status",
                    "select status, sum(delta) from preorder_status_delta group by status having sum(delta) <> 0",
                    "select status, count(*) from preorder_eta group by status"),
            new KeptCount("production", "the queue's length",
                    "select 'QUEUED', sum(delta) from queue_length_delta having sum(delta) <> 0",
                    "select 'QUEUED', count(*) from production_queue where status = 'QUEUED' having count(*) > 0"),
            new KeptCount("delivery", "preorders awaiting a unit by centre",
                    "select center_city, sum(delta) from delivery_awaiting_delta group by center_city having sum(delta) <> 0",
                    "select center_city, count(*) from delivery_preorder where status = 'AWAITING_UNIT' group by center_city"));

    /** Each count a service keeps as deltas against a count of its rows, in one snapshot; a problem for each that differs. */
    private List<String> keptCountsThatDisagree() {
        List<String> problems = new ArrayList<>();
        for (KeptCount count : KEPT_COUNTS) {
            try (Connection connection = stack.postgresSuperuser(count.service()).getConnection()) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                Map<String, Long> kept = countsBy(connection, count.kept());
                Map<String, Long> counted = countsBy(connection, count.counted());
                connection.rollback();
                if (!kept.equals(counted)) {
                    problems.add("%s-service keeps %s %s, its rows count %s".formatted(count.service(), count.what(), kept, counted));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot compare the counts %s-service keeps".formatted(count.service()), e);
            }
        }
        return problems;
    }

    private static Map<String, Long> countsBy(Connection connection, String sql) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                counts.put(String.valueOf(rows.getString(1)), rows.getLong(2));
            }
        }
        return counts;
    }

    private Switch upgrade(String service, long started) {
        Outboxes.Rows left;
        Instant killedAt;
        long killed;
        try (Outboxes.RelayHold held = outboxes.holdRelay(service)) {
            // Never reached when the relay does not take the lock the rehearsal holds.
            await("%s's outbox to hold %d rows while its relay is held".formatted(service, ROWS_LEFT))
                    .atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> outboxes.rows(service).total() >= ROWS_LEFT);
            killedAt = Instant.now();
            killed = System.nanoTime();
            system.kill(service);
            left = outboxes.rows(service);
        }
        system.restart(service, current);
        long ready = System.nanoTime();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(outboxes.rowsWrittenBy(service, left.countedAt()))
                        .as("rows the previous release left in %s's outbox, still there", service)
                        .allSatisfy((table, rows) -> assertThat(rows).isZero()));
        Switch step = new Switch(service, Duration.ofNanos(killed - started), killedAt, left.byTable(),
                Duration.ofNanos(ready - killed), Duration.ofNanos(System.nanoTime() - ready));
        System.out.println("switched " + step);
        return step;
    }

    /**
     * Which release wrote each of the subject's records and which read it: a record read by a reader that switched
     * after it reached Kafka was read by the reader's previous release. Where the schema changed, the rehearsal
     * expects both versions registered, and, for each direction the order makes possible, records read across it.
     */
    private Subject subject(EventSchemas.EventSchema event, int previousId, Map<String, Instant> switchedAt,
                            List<String> order, List<String> problems) {
        String topic = event.topic().name();
        Schema previous = previousSchemas.events().get(event.schema().getName());
        Schema now = current.schemas().events().get(event.schema().getName());
        // What the registry compares: docs and defaults alone (Variant's enum default) register no new version.
        boolean changed = previous == null || !SchemaNormalization.toParsingForm(previous).equals(SchemaNormalization.toParsingForm(now));
        int currentId = registry.latestId(event.subject());
        List<String> readers = KafkaPrincipal.ALL.stream().filter(principal -> principal.consumes().contains(topic))
                .map(KafkaPrincipal::name).filter(RunningSystem.SERVICES::contains).toList();
        String writer = KafkaPrincipal.ALL.stream().filter(principal -> principal.publishes().contains(topic))
                .map(KafkaPrincipal::name).findFirst().orElseThrow();
        long previousRecords = 0;
        long currentRecords = 0;
        long oldReadNew = 0;
        long newReadOld = 0;
        long oldReadNewValues = 0;
        List<String> newFields = previous == null ? List.of() : now.getFields().stream().map(Schema.Field::name)
                .filter(field -> previous.getField(field) == null).toList();
        for (Topic.Decoded decoded : topics.readAll(topic, record -> record.headers().lastHeader(PreorderAudit.INJECTED_HEADER) == null)) {
            int id = decoded.writerSchemaId();
            boolean writtenByPrevious = id == previousId;
            if (writtenByPrevious) {
                previousRecords++;
            } else if (id == currentId) {
                currentRecords++;
            } else {
                problems.add("a record on %s written with schema %d, neither the previous release's %d nor the current %d"
                        .formatted(topic, id, previousId, currentId));
                continue;
            }
            if (previousId == currentId) {
                continue; // one schema: nothing was read across versions
            }
            Instant reachedKafka = Instant.ofEpochMilli(decoded.record().timestamp());
            boolean valuesInNewFields = newFields.stream().anyMatch(field -> decoded.event().hasField(field) && decoded.event().get(field) != null);
            for (String reader : readers) {
                boolean readByCurrent = !reachedKafka.isBefore(switchedAt.get(reader));
                if (!writtenByPrevious && !readByCurrent) {
                    oldReadNew++;
                    oldReadNewValues += valuesInNewFields ? 1 : 0;
                } else if (writtenByPrevious && readByCurrent) {
                    newReadOld++;
                }
            }
        }
        Map<Integer, Integer> registered = registry.idsByVersion(event.subject());
        if (previous == null) {
            // New in this release: only it writes the event, so nothing is read across versions.
            if (previousRecords > 0 || registered.size() != 1) {
                problems.add("%s is new in this release, yet the registry holds %s and %d records were written by another schema"
                        .formatted(event.subject(), registered, previousRecords));
            }
        } else if (changed) {
            if (previousId == currentId || !registered.values().containsAll(List.of(previousId, currentId))) {
                problems.add("%s changed, yet the registry holds %s (versions to ids), previous %d, current %d"
                        .formatted(event.subject(), registered, previousId, currentId));
            }
            boolean writerFirst = readers.stream().anyMatch(reader -> order.indexOf(writer) < order.indexOf(reader));
            boolean aReaderFirst = readers.stream().anyMatch(reader -> order.indexOf(reader) < order.indexOf(writer));
            if (writerFirst && oldReadNew == 0) {
                problems.add("%s changed and %s was upgraded before a reader, yet no reader's previous release read a new event"
                        .formatted(event.subject(), writer));
            }
            if (aReaderFirst && newReadOld == 0) {
                problems.add("%s changed and a reader was upgraded before %s, yet no upgraded reader read an old event"
                        .formatted(event.subject(), writer));
            }
        }
        return new Subject(event.subject(), changed, newFields, registered, previousId, currentId, previousRecords, currentRecords,
                oldReadNew, oldReadNewValues, newReadOld);
    }

    /** A number each service's ops API answers, summed. */
    private int sumOverServices(String path, String field) {
        return RunningSystem.SERVICES.stream()
                .mapToInt(service -> Api.get(system.service(service).baseUri().resolve(path))
                        .orElseThrow(() -> new IllegalStateException("%s did not answer %s".formatted(service, path)))
                        .path(field).asInt())
                .sum();
    }
}
