package com.su7.messaging;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.localstack.LocalStack;
import com.su7.messaging.deadletter.DeadLetter;
import com.su7.messaging.deadletter.DeadLetterGauges;
import com.su7.messaging.deadletter.DeadLetterFilter;
import com.su7.messaging.deadletter.DeadLetterState;
import com.su7.messaging.deadletter.DeadLetterStore;
import com.su7.messaging.deadletter.RedriveReport;
import com.su7.messaging.deadletter.Redrives;
import com.su7.messaging.health.MessagingHealthConfiguration;
import com.su7.messaging.testapp.MessagingTestApplication;
import com.su7.messaging.testapp.HandlerFaults;
import com.su7.messaging.testapp.TestEvents;
import com.su7.testsupport.KafkaProbe;
import com.su7.testsupport.SharedLocalStack;
import com.su7.testsupport.WithLocalStack;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Only an event at fault is dead-lettered; whatever else fails is waited out. Dead letters are kept by the service,
 * hold their key's later events behind them, and are redriven through the same inbox.
 */
@SpringBootTest(classes = MessagingTestApplication.class)
@WithLocalStack
class DeadLettersIntegrationTests {

    private static final String CONSUMER = "messaging-tests.preorder-placed";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    MeterRegistry meters;
    @Autowired
    HandlerFaults faults;
    @Autowired
    Redrives redrives;
    @Autowired
    DeadLetterStore store;
    @Autowired
    DeadLetterGauges gauges;
    @Autowired
    @Qualifier("consumersHealthIndicator")
    HealthIndicator consumersHealth;

    LocalStack stack = SharedLocalStack.get();
    KafkaProbe probe;

    @BeforeEach
    void probe() {
        probe = new KafkaProbe(stack);
    }

    /** The review's case: all 10 once went to the DLT (SQLSTATE 25006) and stayed PLACED for good. */
    @Test
    void aReadOnlyDatabaseDeadLettersNothingAndEverythingIsAppliedOnceItIsWritableAgain() throws Exception {
        List<String> keys = keys(10);
        // from another database: a session of messaging_tests opened meanwhile would be read-only too
        JdbcTemplate superuser = new JdbcTemplate(stack.postgresSuperuser("postgres"));
        double retriesBefore = retries();
        readOnly(superuser, true);
        try {
            for (String key : keys) {
                kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 1)).get();
            }
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(retries()).isGreaterThan(retriesBefore + 5));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(consumersHealth.health(true).getStatus())
                    .isEqualTo(MessagingHealthConfiguration.DEGRADED));
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(appliedCount(jdbc, keys)).isZero());
        } finally {
            readOnly(superuser, false);
        }

        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(appliedCount(jdbc, keys)).isEqualTo(10));
        assertNoDeadLetters(keys);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(consumersHealth.health(true).getStatus()).isEqualTo(Status.UP));
    }

    @Test
    void aHandlerThatThrowsAnUnexpectedExceptionFor20SecondsDeadLettersNothing() throws Exception {
        List<String> keys = keys(5);
        keys.forEach(faults::bugFor);
        try {
            for (String key : keys) {
                kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 1)).get();
            }
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(consumersHealth.health(true).getStatus())
                    .isEqualTo(MessagingHealthConfiguration.DEGRADED));
            assertThat(meters.get("su7.messaging.circuit.open").tag("consumer", CONSUMER).gauge().value()).isEqualTo(1);
            Thread.sleep(20_000);
            assertThat(appliedCount(jdbc, keys)).isZero();
        } finally {
            keys.forEach(faults::clear);
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(jdbc, keys)).isEqualTo(5));
        assertNoDeadLetters(keys);
        assertThat(meters.get("su7.messaging.circuit.open").tag("consumer", CONSUMER).gauge().value()).isZero();
    }

    /** An Error used to stop the listener's container for good: nothing consumed, and nothing in the health to say so. */
    @Test
    void aHandlerThatThrowsAnErrorDeadLettersNothingAndItsConsumerGoesOnOnceItPasses() throws Exception {
        List<String> keys = keys(3);
        keys.forEach(faults::errorFor);
        try {
            for (String key : keys) {
                kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 1)).get();
            }
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(consumersHealth.health(true).getStatus())
                    .isEqualTo(MessagingHealthConfiguration.DEGRADED));
            assertThat(appliedCount(jdbc, keys)).isZero();
        } finally {
            keys.forEach(faults::clear);
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(jdbc, keys)).isEqualTo(3));
        String later = UUID.randomUUID().toString();
        kafka.send(Topics.PREORDER_PLACED, later, TestEvents.preorderPlaced(later, 1)).get();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(jdbc, List.of(later))).isEqualTo(1));
        assertNoDeadLetters(keys);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(consumersHealth.health(true).getStatus()).isEqualTo(Status.UP));
    }

    @Test
    void anEventJudgedAtFaultOnceButFineOnRedeliveryIsNotDeadLettered() throws Exception {
        String key = UUID.randomUUID().toString();
        faults.refuseOnce(key);
        kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 1)).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(jdbc, List.of(key))).isEqualTo(1));
        assertNoDeadLetters(List.of(key));
    }

    @Test
    void aDeadLetterHoldsItsKeysLaterEventsAndARedriveAfterTheFixAppliesThemOnceInOrder() throws Exception {
        String key = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        faults.refuse(key);
        kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 1)).get();
        kafka.send(Topics.PREORDER_PLACED, other, TestEvents.preorderPlaced(other, 1)).get();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(key)).containsExactly(DeadLetterState.OPEN));
        faults.clear(key);
        kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 2)).get();
        kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 3)).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(key))
                .containsExactly(DeadLetterState.OPEN, DeadLetterState.WAITING, DeadLetterState.WAITING));
        assertThat(appliedCount(jdbc, List.of(key))).as("nothing of the key overtakes its dead letter").isZero();
        assertThat(appliedCount(jdbc, List.of(other))).as("other keys go on").isEqualTo(1);
        assertThat(probe.recordsWithKey(Topics.PREORDER_PLACED_DLT, key)).as("only the refused one is copied to the DLT").hasSize(1);
        gauges.count();
        assertThat(meters.get("su7.messaging.dead-letters").tags("consumer", CONSUMER, "state", "OPEN").gauges())
                .extracting(gauge -> gauge.value()).anySatisfy(letters -> assertThat(letters).isGreaterThanOrEqualTo(1));
        assertThat(meters.get("su7.messaging.dead-letters.oldest.age").tag("consumer", CONSUMER).gauge().value()).isNotNegative();

        DeadLetterFilter ofKey = new DeadLetterFilter(null, CONSUMER, key, null, null, null, null);
        RedriveReport dryRun = redrives.redrive(ofKey, true, "ops-test");
        assertThat(dryRun.letters()).extracting(RedriveReport.Line::outcome).containsExactly("WOULD_REDRIVE", "WOULD_REDRIVE", "WOULD_REDRIVE");
        assertThat(appliedCount(jdbc, List.of(key))).as("a dry run applies nothing").isZero();

        RedriveReport redrive = redrives.redrive(ofKey, false, "ops-test");
        assertThat(redrive.applied()).isEqualTo(3);
        assertThat(jdbc.queryForList("select sequence from applied_event where preorder_id = ? order by applied_order",
                Integer.class, key)).containsExactly(1, 2, 3);
        assertThat(states(key)).containsOnly(DeadLetterState.RESOLVED);

        RedriveReport again = redrives.redrive(ofKey.inState(null), false, "ops-test");
        assertThat(again.matched()).as("resolved ones are not redriven again").isZero();
        DeadLetter first = store.find(ofKey, 10).getLast();
        jdbc.update("update dead_letter set state = 'OPEN' where id = ?", first.id());
        assertThat(redrives.redrive(ofKey, false, "ops-test").alreadyApplied())
                .as("an event already applied changes nothing").isEqualTo(1);
        assertThat(appliedCount(jdbc, List.of(key))).isEqualTo(3);
        assertThat(redrives.history(10)).extracting(RedriveReport::requestedBy).contains("ops-test");
        assertThat(redrives.history(10).getFirst().filter()).contains(key);
    }

    /** An Error in a redrive used to end the whole run: no count against the letter, no record of the redrive. */
    @Test
    void aRedriveThatFailsWithAnErrorCountsAgainstItsLetterAndIsRecorded() throws Exception {
        String key = UUID.randomUUID().toString();
        faults.refuse(key);
        try {
            kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 1)).get();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(key)).containsExactly(DeadLetterState.OPEN));
            faults.clear(key);
            faults.errorFor(key);
            DeadLetterFilter ofKey = new DeadLetterFilter(Topics.PREORDER_PLACED, CONSUMER, key, null, null, null, null);

            RedriveReport redrive = redrives.redrive(ofKey, false, "ops-test");

            assertThat(redrive.failed()).isEqualTo(1);
            assertThat(redrive.letters()).extracting(RedriveReport.Line::outcome).containsExactly("FAILED");
            assertThat(store.find(ofKey, 10).getFirst().redrives()).isEqualTo(1);
            assertThat(redrives.history(10).getFirst().filter()).contains(key);
        } finally {
            faults.clear(key);
        }
        assertThat(appliedCount(jdbc, List.of(key))).isZero();
    }

    @Test
    void aPoisonRecordRedrivenTheAllowedNumberOfTimesIsParkedAndNeverRedrivenAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        faults.refuse(key);
        try {
            kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 1)).get();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(key)).containsExactly(DeadLetterState.OPEN));
            DeadLetterFilter ofKey = new DeadLetterFilter(Topics.PREORDER_PLACED, CONSUMER, key, "breaks a rule", null, null, null);

            assertThat(redrives.redrive(ofKey, false, "ops-test").failed()).isEqualTo(1);
            assertThat(redrives.redrive(ofKey, false, "ops-test").failed()).isEqualTo(1);
            RedriveReport third = redrives.redrive(ofKey, false, "ops-test");
            assertThat(third.parked()).isEqualTo(1);
            assertThat(states(key)).containsExactly(DeadLetterState.PARKED);

            RedriveReport fourth = redrives.redrive(ofKey, false, "ops-test");
            assertThat(fourth.letters()).extracting(RedriveReport.Line::outcome).containsExactly("SKIPPED_PARKED");
            assertThat(store.find(ofKey, 10).getFirst().redrives()).isEqualTo(3);
        } finally {
            faults.clear(key);
        }
        assertThat(appliedCount(jdbc, List.of(key))).isZero();
    }

    private List<DeadLetterState> states(String key) {
        return jdbc.queryForList("select state from dead_letter where consumer = ? and record_key = ? order by id",
                String.class, CONSUMER, key).stream().map(DeadLetterState::valueOf).toList();
    }

    private void assertNoDeadLetters(List<String> keys) {
        assertThat(jdbc.queryForObject("select count(*) from dead_letter where record_key = any(?)", Integer.class,
                (Object) keys.toArray(String[]::new))).isZero();
        for (String key : keys) {
            assertThat(probe.recordsWithKey(Topics.PREORDER_PLACED_DLT, key)).isEmpty();
        }
    }

    private double retries() {
        return meters.counter("su7.messaging.retries", "listener", CONSUMER).count();
    }

    private static List<String> keys(int count) {
        return IntStream.range(0, count).mapToObj(i -> UUID.randomUUID().toString()).toList();
    }

    private static int appliedCount(JdbcTemplate jdbc, List<String> keys) {
        return jdbc.queryForObject("select count(*) from applied_event where consumer = ? and preorder_id = any(?)",
                Integer.class, CONSUMER, keys.toArray(String[]::new));
    }

    /** What a failover to a standby, a full managed disk or a maintenance switch does to the service's sessions. */
    private static void readOnly(JdbcTemplate superuser, boolean readOnly) {
        superuser.execute("alter database messaging_tests set default_transaction_read_only = " + (readOnly ? "on" : "off"));
        superuser.queryForList("select pg_terminate_backend(pid) from pg_stat_activity where usename = 'messaging_tests'");
    }

}
