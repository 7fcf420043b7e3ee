package com.su7.orders.eta.rebuild;

import com.su7.contract.Topics;
import com.su7.events.DeliveryScheduled;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.messaging.inbox.EventDecoder;
import com.su7.messaging.inbox.Failures;
import com.su7.messaging.inbox.InboxProperties;
import com.su7.orders.eta.EtaHistory;
import com.su7.orders.eta.EtaProjection;
import com.su7.orders.eta.EtaRefresher;
import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

/**
 * Rebuilds the ETA projection from the topics while the service keeps serving: replays
 * {@code orders.preorder-placed}, {@code production.unit-built}, {@code delivery.delivery-scheduled} and
 * {@code orders.preorder-cancelled} from their first offsets into fresh copies of the projection's tables (through the
 * same {@link EtaProjection} code the listeners use) up to where the live projection has got (every published
 * PreorderPlaced and PreorderCancelled, and the offsets the
 * UnitBuilt and DeliveryScheduled listeners committed), then switches:
 * <ol>
 *   <li>stops the UnitBuilt and DeliveryScheduled listeners (their committed offsets stay where they are);</li>
 *   <li>blocks writes to the live tables (placements and cancellations wait; reads go on) and waits for the outbox to
 *   have published every PreorderPlaced and PreorderCancelled already committed;</li>
 *   <li>replays up to where the live projection now is, so the copies hold exactly what the live tables were built
 *   from;</li>
 *   <li>compares the copies with the live tables, records the dates and statuses that changed in the ETA history (each a
 *   revision, published as EtaChanged with cause REBUILT), makes the
 *   inbox's record of the listeners' processed events agree with the copies, and swaps the tables in the same
 *   transaction; the waiting placements then write to the new tables;</li>
 *   <li>restarts the listeners, which go on from their committed offsets, in the new tables.</li>
 * </ol>
 * It fails safe: it never switches to tables that lack something the live ones applied.
 * <ul>
 *   <li>A failure that is not an event's fault (the registry or the database away, a deadlock in the switch) is
 *   waited out for up to {@link #TRANSIENT_FAILURE_PATIENCE}: the replay reads the batch that failed again, a switch
 *   that failed rolled back. Longer, the rebuild fails and the live tables stay as they are.</li>
 *   <li>A record at fault itself (bytes that cannot be decoded, an event the projection refuses) is skipped and listed
 *   in the status; the switch is refused unless the live projection skipped it too ({@link LiveProjectionSkips}).</li>
 *   <li>A live preorder missing from the rebuilt tables (its PreorderPlaced is not on the topic) refuses the switch.</li>
 * </ul>
 * One rebuild at a time per database (a session advisory lock). With several instances of orders-service, scale to
 * one for the rebuild: only this instance's listeners are stopped.
 */
@Component
public class EtaProjectionRebuild {

    private static final Logger log = LoggerFactory.getLogger(EtaProjectionRebuild.class);
    private static final List<String> TOPICS = List.of(Topics.PREORDER_PLACED, Topics.UNIT_BUILT, Topics.DELIVERY_SCHEDULED,
            Topics.PREORDER_CANCELLED);
    /** The service's own events the projection applies, published through its outbox. */
    private static final List<String> OWN_TOPICS = List.of(Topics.PREORDER_PLACED, Topics.PREORDER_CANCELLED);
    /** The topics whose listeners the switch stops: the projection's facts. */
    private static final List<String> FACT_TOPICS = List.of(Topics.UNIT_BUILT, Topics.DELIVERY_SCHEDULED);
    private static final long ADVISORY_LOCK = 0x5_07_4EB1L;
    private static final int LOCK_TIMEOUT_SECONDS = 30;
    private static final Duration OUTBOX_PATIENCE = Duration.ofSeconds(30);
    private static final int KEPT_RUNS = 20;
    /** Long enough for a registry restart or a database failover; a rebuild can always be started again. */
    private static final Duration TRANSIENT_FAILURE_PATIENCE = Duration.ofSeconds(60);
    private static final Duration FIRST_BACK_OFF = Duration.ofMillis(500);
    private static final Duration MAX_BACK_OFF = Duration.ofSeconds(8);
    private static final int NAMED_IN_A_REFUSAL = 5;
    private static final int CATCH_UP_ROUNDS = 10;
    /** Records left to replay that are few enough to replay while writes wait (well under a second's work). */
    private static final long CLOSE_ENOUGH = 200;

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate ownTransactions;
    private final ConsumerFactory<String, byte[]> consumers;
    private final Map<String, EventDecoder<?>> decoders;
    private final EtaProjection projection;
    private final EtaRefresher refresher;
    private final EtaHistory history;
    private final KafkaListenerEndpointRegistry listeners;
    private final KafkaAdmin kafkaAdmin;
    private final InboxProperties inbox;
    private final Clock clock;
    private final AtomicReference<RebuildRun> running = new AtomicReference<>();
    private final Map<UUID, RebuildRun> runs = new ConcurrentHashMap<>();

    EtaProjectionRebuild(DataSource dataSource, JdbcClient jdbc, PlatformTransactionManager transactionManager,
                         ConsumerFactory<String, byte[]> consumers, AvroEventDecoder avro, EtaProjection projection,
                         EtaRefresher refresher, EtaHistory history, KafkaListenerEndpointRegistry listeners, KafkaAdmin kafkaAdmin,
                         InboxProperties inbox, Clock clock) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        // The replay's transactions must not join the switch's, which holds the live tables' locks meanwhile.
        this.ownTransactions = new TransactionTemplate(transactionManager);
        this.ownTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.consumers = consumers;
        this.decoders = Map.of(
                Topics.PREORDER_PLACED, avro.of(PreorderPlaced.class),
                Topics.UNIT_BUILT, avro.of(UnitBuilt.class),
                Topics.DELIVERY_SCHEDULED, avro.of(DeliveryScheduled.class),
                Topics.PREORDER_CANCELLED, avro.of(PreorderCancelled.class));
        this.projection = projection;
        this.refresher = refresher;
        this.history = history;
        this.listeners = listeners;
        this.kafkaAdmin = kafkaAdmin;
        this.inbox = inbox;
        this.clock = clock;
    }

    /** Starts a rebuild in the background; refused while one runs. */
    synchronized RebuildRun.RebuildStatus start() {
        RebuildRun busy = running.get();
        if (busy != null) {
            throw new RebuildRunningException(busy.id());
        }
        RebuildRun run = new RebuildRun(now());
        running.set(run);
        runs.put(run.id(), run);
        forgetOldRuns();
        Thread.ofVirtual().name("eta-projection-rebuild").start(() -> {
            // The projection logs every change it makes: these are the copies', not what customers see yet.
            MDC.put("etaRebuild", run.id().toString());
            try {
                rebuild(run);
            } finally {
                MDC.remove("etaRebuild");
                running.set(null);
            }
        });
        return run.status();
    }

    Optional<RebuildRun.RebuildStatus> find(UUID id) {
        return Optional.ofNullable(runs.get(id)).map(RebuildRun::status);
    }

    List<RebuildRun.RebuildStatus> recent() {
        return runs.values().stream().map(RebuildRun::status)
                .sorted(Comparator.comparing(RebuildRun.RebuildStatus::startedAt).reversed()).toList();
    }

    private void rebuild(RebuildRun run) {
        log.info("rebuilding the ETA projection from {} (rebuild {})", TOPICS, run.id());
        // A session lock, so on a connection of its own, and released on it: the pool keeps the connection open.
        try (Connection lock = dataSource.getConnection()) {
            if (!advisoryLock(lock, "pg_try_advisory_lock")) {
                throw new IllegalStateException("another instance is rebuilding the ETA projection");
            }
            try {
                replayAndSwitch(run);
            } finally {
                unlock(lock, run);
            }
            run.completed(now());
            log.info("rebuild {} completed: {}", run.id(), run.status());
        } catch (SwitchRefusedException e) {
            run.refused(now(), e.getMessage());
            log.warn("rebuild {} refused to switch; the live projection is unchanged: {}", run.id(), e.getMessage());
        } catch (Exception | Error e) {
            // An Error too: the run would show REPLAYING or SWITCHING for good.
            run.failed(now(), e);
            log.error("rebuild {} failed; the live projection is unchanged (the copies are left in schema {} until the next rebuild)",
                    run.id(), ProjectionTables.REBUILD, e);
        }
    }

    private void replayAndSwitch(RebuildRun run) {
        ProjectionTables tables = patiently(run, () -> new ProjectionTables(jdbc));
        Map<String, String> consumerOfTopic = FACT_TOPICS.stream().collect(Collectors.toMap(topic -> topic, this::consumerOf));
        CopiesReplay copies = new CopiesReplay(jdbc, ownTransactions, decoders, projection, tables,
                new LiveProjectionSkips(jdbc, tables, consumerOfTopic), consumerOfTopic, run);
        // Estimates in the copies use the build rates observed in the live tables.
        refreshEstimates();
        patiently(run, () -> transactions.executeWithoutResult(status -> tables.createEmptyCopies()));
        try (TopicReplay replay = new TopicReplay(consumers, kafkaAdmin, TOPICS)) {
            patiently(run, () -> catchUp(copies, replay, run));
            refuseIfTheCopiesWouldLack(run, () -> tables.compare(20));
            log.info("rebuild {}: replayed {} records; switching", run.id(), run.status().recordsReplayed());
            run.switching();
            patiently(run, () -> switchTables(tables, copies, consumerOfTopic.values(), replay, run));
        }
        refreshEstimates();
    }

    /** Replays while the live projection moves on, so that little is left to replay while writes wait. */
    private void catchUp(CopiesReplay copies, TopicReplay replay, RebuildRun run) {
        for (int round = 1; round <= CATCH_UP_ROUNDS; round++) {
            Map<TopicPartition, Long> targets = whatTheLiveProjectionHasApplied(replay);
            long behind = replay.recordsBehind(targets);
            run.toReplay(replay.recordsUpTo(targets));
            if (round > 1 && behind <= CLOSE_ENOUGH) {
                return;
            }
            replay.readUpTo(targets, copies::apply);
        }
    }

    /**
     * Runs a step of the rebuild until it succeeds, waiting out (with a growing back-off) failures that are not an
     * event's fault, for up to {@link #TRANSIENT_FAILURE_PATIENCE} in a row; every step can run again where it
     * failed. Measured in real time: the service's clock is the factory's.
     */
    private <T> T patiently(RebuildRun run, Supplier<T> step) {
        long giveUpAt = System.nanoTime() + TRANSIENT_FAILURE_PATIENCE.toNanos();
        Duration backOff = FIRST_BACK_OFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (RuntimeException failure) {
                if (failure instanceof SwitchRefusedException || Failures.isEventsFault(failure)) {
                    throw failure;
                }
                run.failedForAWhile(failure);
                if (System.nanoTime() + backOff.toNanos() > giveUpAt) {
                    throw new IllegalStateException("gave up after %d attempts over %d s of a failure that is not an event's fault: %s"
                            .formatted(attempt, TRANSIENT_FAILURE_PATIENCE.toSeconds(), RebuildRun.describe(failure)), failure);
                }
                log.warn("rebuild {}: {}; trying again in {}", run.id(), RebuildRun.describe(failure), backOff);
                sleep(backOff);
                backOff = backOff.multipliedBy(2).compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : backOff.multipliedBy(2);
            }
        }
    }

    private void patiently(RebuildRun run, Runnable step) {
        patiently(run, () -> {
            step.run();
            return null;
        });
    }

    /** Best effort: a session that ended (the database restarted under the rebuild) released the lock with it. */
    private static void unlock(Connection lock, RebuildRun run) {
        try {
            advisoryLock(lock, "pg_advisory_unlock");
        } catch (SQLException e) {
            log.warn("rebuild {}: releasing the advisory lock failed ({}); its session's end releases it", run.id(), e.getMessage());
        }
    }

    /** Calls {@code pg_try_advisory_lock} or {@code pg_advisory_unlock} with the rebuild's lock id. */
    private static boolean advisoryLock(Connection connection, String function) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select " + function + "(?)")) {
            statement.setLong(1, ADVISORY_LOCK);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private void switchTables(ProjectionTables tables, CopiesReplay copies, Collection<String> consumersOfFacts, TopicReplay replay,
                              RebuildRun run) {
        List<MessageListenerContainer> containers = FACT_TOPICS.stream().map(this::listenerOf).toList();
        containers.forEach(MessageListenerContainer::stop);
        try {
            transactions.executeWithoutResult(status -> {
                refresher.holdRefreshesUntilCommit();
                tables.blockWritesToLive(LOCK_TIMEOUT_SECONDS);
                Instant writesBlocked = clock.instant();
                awaitPublished(tables);
                Map<TopicPartition, Long> targets = whatTheLiveProjectionHasApplied(replay);
                run.toReplay(replay.recordsUpTo(targets));
                replay.readUpTo(targets, copies::apply);
                ProjectionTables.Comparison comparison = tables.compare(20);
                refuseIfTheCopiesWouldLack(run, () -> comparison);
                refuseIfPreordersWouldVanish(run, comparison);
                Instant switchedAt = now();
                List<EtaHistory.Shown> changed = tables.recordChangedDates(switchedAt);
                history.published(switchedAt, changed);
                // Why processed_event is made to agree rather than swapped: see ProjectionTables.adoptProcessedEvents.
                tables.adoptProcessedEvents(consumersOfFacts, inbox.deduplicationWindow());
                tables.switchToTheCopies();
                run.compared(comparison, Duration.between(writesBlocked, clock.instant()));
                run.switched(changed.size());
            });
        } finally {
            containers.forEach(MessageListenerContainer::start);
        }
    }

    /** Refuses the switch if the rebuild skipped records the live projection applied: the copies would lack them. */
    private static void refuseIfTheCopiesWouldLack(RebuildRun run, Supplier<ProjectionTables.Comparison> comparison) {
        List<RebuildRun.SkippedRecord> lacking = run.skippedOnlyByTheRebuild();
        if (!lacking.isEmpty()) {
            run.compared(comparison.get(), null);
            throw new SwitchRefusedException("the rebuild skipped %d record(s) the live projection did not, so the rebuilt tables would lack them: %s%s"
                    .formatted(lacking.size(), lacking.stream().limit(NAMED_IN_A_REFUSAL)
                                    .map(record -> record.record() + " (" + record.reason() + ")").collect(Collectors.joining(", ")),
                            lacking.size() > NAMED_IN_A_REFUSAL ? ", … (see skippedRecords)" : ""));
        }
    }

    /**
     * Refuses the switch if live preorders are missing from the rebuilt tables (asked once the replay has caught up
     * with every PreorderPlaced committed): their PreorderPlaced is not on the topic, as when the outbox set its row
     * aside, and customers would lose them.
     */
    private static void refuseIfPreordersWouldVanish(RebuildRun run, ProjectionTables.Comparison comparison) {
        if (comparison.livePreordersMissing() > 0) {
            run.compared(comparison, null);
            throw new SwitchRefusedException(("%d preorder(s) of the live projection are not in the rebuilt one (no PreorderPlaced of theirs "
                    + "on the topic: an outbox row set aside?), so a switch would make them vanish: %s%s").formatted(
                    comparison.livePreordersMissing(),
                    String.join(", ", comparison.sampleLivePreordersMissing().stream().limit(NAMED_IN_A_REFUSAL).toList()),
                    comparison.livePreordersMissing() > NAMED_IN_A_REFUSAL ? ", … (see comparison)" : ""));
        }
    }

    /**
     * The offsets up to which the live tables hold the topics: every PreorderPlaced published (placements write the
     * projection before they publish), and the listeners' committed offsets. Replaying exactly that far makes the
     * copies comparable with the live tables; the restarted listeners then go on from there in the copies.
     */
    private Map<TopicPartition, Long> whatTheLiveProjectionHasApplied(TopicReplay replay) {
        Map<TopicPartition, Long> targets = new HashMap<>();
        OWN_TOPICS.forEach(topic -> targets.putAll(replay.endOffsets(topic)));
        for (String topic : FACT_TOPICS) {
            targets.putAll(replay.committedOffsets(listenerOf(topic).getGroupId(), topic));
        }
        return targets;
    }

    /** The inbox consumer of the listener of the topic: its name is the listener's id (and its consumer group). */
    private String consumerOf(String topic) {
        return listenerOf(topic).getListenerId();
    }

    /** The service's one listener of the topic (found by topic: the listeners keep their ids to themselves). */
    private MessageListenerContainer listenerOf(String topic) {
        return listeners.getListenerContainers().stream()
                .filter(container -> List.of(container.getContainerProperties().getTopics()).contains(topic))
                .findFirst().orElseThrow(() -> new IllegalStateException("orders-service has no listener of " + topic));
    }

    private void awaitPublished(ProjectionTables tables) {
        Instant giveUp = clock.instant().plus(OUTBOX_PATIENCE);
        while (OWN_TOPICS.stream().anyMatch(topic -> tables.unpublishedEvents(topic) > 0)) {
            if (clock.instant().isAfter(giveUp)) {
                throw new IllegalStateException("the outbox did not publish the committed PreorderPlaced and PreorderCancelled events within "
                        + OUTBOX_PATIENCE);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** Best effort: a refresh that loses a deadlock to a listener is done again by the periodic refresh anyway. */
    private void refreshEstimates() {
        try {
            refresher.refresh();
        } catch (RuntimeException e) {
            if (Failures.isEventsFault(e)) {
                throw e;
            }
            log.info("re-estimating failed ({}); the periodic refresh will do it", e.getMessage());
        }
    }

    private void forgetOldRuns() {
        runs.values().stream().filter(RebuildRun::finished)
                .sorted(Comparator.comparing(run -> run.status().startedAt()))
                .limit(Math.max(0, runs.size() - KEPT_RUNS))
                .toList()
                .forEach(run -> runs.remove(run.id()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The rebuilt tables lack something the live ones have: switching would lose it. */
    static final class SwitchRefusedException extends RuntimeException {

        SwitchRefusedException(String what) {
            super("switch refused: " + what);
        }
    }

    /** 409: a rebuild is already running. */
    static final class RebuildRunningException extends ProblemException {

        static final ProblemType REBUILD_RUNNING = new ProblemType("rebuild-running", HttpStatus.CONFLICT, "A rebuild is running");

        RebuildRunningException(UUID running) {
            super(REBUILD_RUNNING, "rebuild %s of the ETA projection is running; follow it at %s"
                    .formatted(running, EtaProjectionRebuildController.PATH + "/" + running));
        }
    }
}
