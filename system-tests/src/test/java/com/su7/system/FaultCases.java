package com.su7.system;

import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import com.su7.testsupport.KafkaProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault cases, each the same shape: a steady load of preorders from both entry points, the fault injected
 * mid-load and healed, the load going on until the system has caught up, then every preorder audited. Each
 * returns its row of the report and fails when a preorder was lost or duplicated.
 */
final class FaultCases {

    /** Each consumed topic and how many services consume it (each dead-letters a poison record once). */
    static final Map<String, Integer> CONSUMED_TOPICS = Map.of(
            Topics.PREORDER_REQUESTS, 1,
            Topics.PREORDER_PLACED, 2,
            Topics.UNIT_BUILT, 2,
            Topics.DELIVERY_SCHEDULED, 2,
            Topics.PREORDER_CANCELLED, 2);

    private static final int PREORDERS_PER_SECOND_PER_ENTRY_POINT = 5;
    private static final int WARM_UP = 20;
    private static final int AFTER_RECOVERY = 20;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private final LocalStack stack;
    private final RunningSystem system;
    private final PreorderAudit audit;

    FaultCases(FaultSystem faults) {
        this.stack = faults.stack();
        this.system = faults.system();
        this.audit = new PreorderAudit(system, stack.kafkaClientSettings(KafkaPrincipal.ADMIN), stack.registryConfluentApiUrl());
    }

    /** A fault: breaks something mid-load and heals it before it returns. */
    @FunctionalInterface
    interface Fault {
        void injectAndHeal(PreorderLoad load);
    }

    FaultReport.Row sigkill(String service) {
        return run("SIGKILL " + service + "-service, restart", load -> {
            system.kill(service);
            awaitMore(load, 10);
            system.restart(service);
        });
    }

    FaultReport.Row kafkaKilled() {
        return run("Kafka broker SIGKILL, restart on its data", load -> {
            stack.killKafka();
            // REST keeps taking preorders into the outbox while Kafka is away.
            awaitMore(load, 20);
            stack.restartKafka();
        });
    }

    FaultReport.Row brokerLost() {
        return run("3-broker cluster loses broker 1 (RF 3, min ISR 2), restart", load -> {
            stack.killKafkaBroker(0);
            awaitMore(load, 50);
            stack.restartKafka();
        });
    }

    FaultReport.Row postgresStopped(Duration outage) {
        return run("PostgreSQL stopped %ds, started".formatted(outage.toSeconds()), load -> {
            stack.stopPostgres();
            PreorderLoad.pause(outage); // the outage's length is the fault itself, not a wait for an outcome
            stack.startPostgres();
        });
    }

    FaultReport.Row registryUnavailable(Duration outage) {
        return run("schema registry stopped %ds, started".formatted(outage.toSeconds()), load -> {
            stack.stopRegistry();
            PreorderLoad.pause(outage); // the outage's length is the fault itself, not a wait for an outcome
            stack.startRegistry();
        });
    }

    FaultReport.Row rebalance() {
        return run("2nd production + delivery instance join, then leave", load -> {
            try (ServiceProcess production = system.startAnotherInstance("production", "2");
                 ServiceProcess delivery = system.startAnotherInstance("delivery", "2")) {
                awaitMore(load, 30);
            }
        });
    }

    /**
     * The review's case: a service's database turns read-only (a failover to a standby, a full managed disk, a
     * maintenance switch) and its sessions end. Its consumers wait it out; nothing is dead-lettered.
     */
    FaultReport.Row readOnlyDatabase(String service, Duration outage) {
        FaultReport.Row row = run("%s's database read-only %ds".formatted(service, outage.toSeconds()), load -> {
            readOnly(service, true);
            try {
                PreorderLoad.pause(outage); // the outage's length is the fault itself, not a wait for an outcome
            } finally {
                readOnly(service, false);
            }
        });
        assertThat(row.deadLetters()).as("dead letters of %s", row.fault()).isZero();
        return row;
    }

    /**
     * A release with a bug in a handler: production's intake of PreorderPlaced throws an unexpected exception (a
     * trigger raises one on every insert into its queue) for a while. The consumer waits, then applies everything.
     */
    FaultReport.Row handlerBug(Duration length) {
        FaultReport.Row row = run("bug in production's PreorderPlaced handler %ds".formatted(length.toSeconds()), load -> {
            execute("production", """
                    create or replace function fault_suite_bug() returns trigger language plpgsql as $$
                    begin raise exception 'a bug in the handler (injected by the fault suite)'; end $$;
                    create trigger fault_suite_bug before insert on production_queue
                        for each row execute function fault_suite_bug()""");
            try {
                PreorderLoad.pause(length); // the bug's lifetime is the fault itself
            } finally {
                execute("production", "drop trigger fault_suite_bug on production_queue; drop function fault_suite_bug()");
            }
        });
        assertThat(row.deadLetters()).as("dead letters of %s", row.fault()).isZero();
        return row;
    }

    private void readOnly(String database, boolean readOnly) {
        execute("postgres", "alter database %s set default_transaction_read_only = %s".formatted(database, readOnly ? "on" : "off"));
        execute("postgres", "select pg_terminate_backend(pid) from pg_stat_activity where datname = '%s' and pid <> pg_backend_pid()"
                .formatted(database));
    }

    private void execute(String database, String sql) {
        try (Connection connection = stack.postgresSuperuser(database).getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run on " + database + ": " + sql, e);
        }
    }

    /** Every kind of poison into every consumed topic: each reaches the topic's DLT once per consumer, with its reason. */
    FaultReport.Row poison() {
        RecordInjector injector = new RecordInjector(stack.kafkaClientSettings(KafkaPrincipal.ADMIN));
        Map<String, Map<String, String>> keysByTopic = new LinkedHashMap<>();
        FaultReport.Row row = run("poison records of 6 kinds into the %d consumed topics".formatted(CONSUMED_TOPICS.size()), load ->
                CONSUMED_TOPICS.keySet().forEach(topic -> keysByTopic.put(topic, injector.inject(topic, injector.poisonFor(topic)))));
        KafkaProbe probe = new KafkaProbe(stack);
        keysByTopic.forEach((topic, keys) -> await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = probe.records(Topics.deadLetterOf(topic), record -> keys.containsValue(record.key()));
            keys.forEach((kind, key) -> {
                List<ConsumerRecord<String, byte[]>> ofKey = dead.stream().filter(record -> key.equals(record.key())).toList();
                assertThat(ofKey).as("%s poison in %s.DLT", kind, topic).hasSize(CONSUMED_TOPICS.get(topic));
                assertThat(ofKey).as("each consumer's dead letter of %s in %s says whose it is", kind, topic)
                        .extracting(record -> KafkaProbe.header(record, "kafka_dlt-original-consumer-group")).doesNotHaveDuplicates();
                assertThat(ofKey).allSatisfy(record -> {
                    assertThat(KafkaProbe.header(record, "kafka_dlt-exception-message")).as("reason of %s in %s", kind, topic).isNotBlank();
                    assertThat(KafkaProbe.header(record, "kafka_dlt-original-topic")).isEqualTo(topic);
                });
            });
        }));
        return row;
    }

    /** Exact copies of events already in every topic (and of app requests): nothing changes. */
    FaultReport.Row duplicates() {
        RecordInjector injector = new RecordInjector(stack.kafkaClientSettings(KafkaPrincipal.ADMIN));
        return run("duplicates (same eventId / requestId) into the %d consumed topics".formatted(CONSUMED_TOPICS.size()), load -> {
            awaitMore(load, 30);
            Set<String> ids = Set.copyOf(load.restPreorderIds());
            Set<String> customers = Set.copyOf(load.appCustomers());
            int copies = injector.copy(Topics.PREORDER_REQUESTS,
                    record -> customers.contains(Api.JSON.readTree(record.value()).path("customerId").asString()));
            for (String topic : List.of(Topics.PREORDER_PLACED, Topics.UNIT_BUILT, Topics.DELIVERY_SCHEDULED, Topics.PREORDER_CANCELLED)) {
                copies += injector.copy(topic, record -> ids.contains(record.key()));
            }
            assertThat(copies).as("records copied").isPositive();
        });
    }

    private FaultReport.Row run(String name, Fault fault) {
        int deadLettersBefore = audit.deadLetters(CONSUMED_TOPICS.keySet());
        long settledBefore = settled();
        try (PreorderLoad load = new PreorderLoad(system.service("orders").baseUri(), stack.kafkaClientSettings(KafkaPrincipal.APP.name()),
                PREORDERS_PER_SECOND_PER_ENTRY_POINT)) {
            load.cancelSome();
            awaitMore(load, WARM_UP);
            long faultStarted = System.nanoTime();
            fault.injectAndHeal(load);
            long healed = System.nanoTime();
            int acceptedWhenHealed = load.accepted();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> settled() >= settledBefore + acceptedWhenHealed);
            Duration recoveredAfter = Duration.ofNanos(System.nanoTime() - healed);
            awaitMore(load, AFTER_RECOVERY);
            load.stop();

            PreorderAudit.Result result = audit.audit(load);
            int deadLetters = audit.deadLetters(CONSUMED_TOPICS.keySet()) - deadLettersBefore;
            FaultReport.Row row = new FaultReport.Row(name, result.preorders(), result.lost().size(), result.duplicated().size(),
                    result.redelivered(), deadLetters, Duration.ofNanos(healed - faultStarted), recoveredAfter,
                    load.failedAttempts(), load.maxRestLatency(), load.maxAppAckLatency());
            assertThat(result.problems()).as("%s: %s", name, row).isEmpty();
            return row;
        }
    }

    private long settled() {
        return settled(system);
    }

    /** Preorders settled in orders-service (DELIVERY_SCHEDULED or CANCELLED); -1 while it does not answer. */
    static long settled(RunningSystem system) {
        try {
            return Api.get(system.service("orders").baseUri().resolve("/api/preorders/stats"))
                    .map(stats -> stats.path("byStatus").path("DELIVERY_SCHEDULED").asLong() + stats.path("byStatus").path("CANCELLED").asLong())
                    .orElse(-1L);
        } catch (IllegalStateException unreachable) {
            return -1;
        }
    }

    /** Lets the load place {@code more} preorders (the fault lasts while customers keep coming). */
    static void awaitMore(PreorderLoad load, int more) {
        int target = load.accepted() + more;
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> load.accepted() >= target);
    }
}
