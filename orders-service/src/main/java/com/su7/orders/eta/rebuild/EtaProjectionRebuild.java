package com.su7.orders.eta.rebuild;

import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.events.DeliveryScheduled;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.messaging.inbox.BatchFallback;
import com.su7.messaging.inbox.EventDecoder;
import com.su7.messaging.inbox.Failures;
import com.su7.orders.eta.EtaProjection;
import com.su7.orders.eta.EtaRefresher;
import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

/**
 * Rebuilds the ETA projection from the topics while the service keeps serving: replays
 * {@code orders.preorder-placed}, {@code production.unit-built} and {@code delivery.delivery-scheduled} from their
 * first offsets into fresh copies of the projection's tables (through the same {@link EtaProjection} code the
 * listeners use) up to where the live projection has got (every published PreorderPlaced, and the offsets the
 * UnitBuilt and DeliveryScheduled listeners committed), then switches:
 * <ol>
 *   <li>stops the UnitBuilt and DeliveryScheduled listeners (their committed offsets stay where they are);</li>
 *   <li>blocks writes to the live tables (placements wait; reads go on) and waits for the outbox to have published
 *   every PreorderPlaced already committed;</li>
 *   <li>replays up to where the live projection now is, so the copies hold exactly what the live tables were built
 *   from;</li>
 *   <li>compares the copies with the live tables, records the dates that changed in the ETA history, and swaps the
 *   tables in the same transaction; the waiting placements then write to the new tables;</li>
 *   <li>restarts the listeners, which go on from their committed offsets, in the new tables.</li>
 * </ol>
 * One rebuild at a time per database (a session advisory lock). If the database aborts the switch (a deadlock with
 * a transaction that read a table before the switch locked it), the switch is tried again. With several instances
 * of orders-service, scale to one for the rebuild: only this instance's listeners are stopped.
 */
@Component
public class EtaProjectionRebuild {

    private static final Logger log = LoggerFactory.getLogger(EtaProjectionRebuild.class);
    private static final List<String> TOPICS = List.of(Topics.PREORDER_PLACED, Topics.UNIT_BUILT, Topics.DELIVERY_SCHEDULED);
    /** The topics whose listeners the switch stops: the projection's facts. */
    private static final List<String> FACT_TOPICS = List.of(Topics.UNIT_BUILT, Topics.DELIVERY_SCHEDULED);
    private static final long ADVISORY_LOCK = 0x5_07_4EB1L;
    private static final int LOCK_TIMEOUT_SECONDS = 30;
    private static final Duration OUTBOX_PATIENCE = Duration.ofSeconds(30);
    private static final int KEPT_RUNS = 20;
    private static final int SWITCH_ATTEMPTS = 3;
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
    private final KafkaListenerEndpointRegistry listeners;
    private final KafkaAdmin kafkaAdmin;
    private final Clock clock;
    private final AtomicReference<RebuildRun> running = new AtomicReference<>();
    private final Map<UUID, RebuildRun> runs = new ConcurrentHashMap<>();

    EtaProjectionRebuild(DataSource dataSource, JdbcClient jdbc, PlatformTransactionManager transactionManager,
                         ConsumerFactory<String, byte[]> consumers, AvroEventDecoder avro, EtaProjection projection,
                         EtaRefresher refresher, KafkaListenerEndpointRegistry listeners, KafkaAdmin kafkaAdmin, Clock clock) {
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
                Topics.DELIVERY_SCHEDULED, avro.of(DeliveryScheduled.class));
        this.projection = projection;
        this.refresher = refresher;
        this.listeners = listeners;
        this.kafkaAdmin = kafkaAdmin;
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
                advisoryLock(lock, "pg_advisory_unlock");
            }
            run.completed(now());
            log.info("rebuild {} completed: {}", run.id(), run.status());
        } catch (Exception e) {
            run.failed(now(), e);
            log.error("rebuild {} failed; the live projection is unchanged (the copies are left in schema {} until the next rebuild)",
                    run.id(), ProjectionTables.REBUILD, e);
        }
    }

    private void replayAndSwitch(RebuildRun run) {
        ProjectionTables tables = new ProjectionTables(jdbc);
        // Estimates in the copies use the build rates observed in the live tables.
        refreshEstimates();
        transactions.executeWithoutResult(status -> tables.createEmptyCopies());
        try (TopicReplay replay = new TopicReplay(consumers, kafkaAdmin, TOPICS)) {
            // Catch up while the live projection moves on, so that little is left to replay while writes wait.
            for (int round = 1; round <= CATCH_UP_ROUNDS; round++) {
                Map<TopicPartition, Long> targets = whatTheLiveProjectionHasApplied(replay);
                long behind = replay.recordsBehind(targets);
                run.toReplay(replay.recordsUpTo(targets));
                if (round > 1 && behind <= CLOSE_ENOUGH) {
                    break;
                }
                replay.readUpTo(targets, batch -> apply(tables, batch, run));
            }
            log.info("rebuild {}: replayed {} records; switching", run.id(), run.status().recordsReplayed());
            run.switching();
            switchTables(tables, replay, run);
        }
        refreshEstimates();
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

    /** Switches, trying again if the database aborted the switch for a deadlock or the locks' timeout. */
    private void switchTables(ProjectionTables tables, TopicReplay replay, RebuildRun run) {
        for (int attempt = 1; ; attempt++) {
            try {
                switchTablesOnce(tables, replay, run);
                return;
            } catch (RuntimeException e) {
                if (attempt == SWITCH_ATTEMPTS || Failures.isEventsFault(e)) {
                    throw e;
                }
                log.warn("rebuild {}: switch attempt {} failed, trying again: {}", run.id(), attempt, e.getMessage());
            }
        }
    }

    private void switchTablesOnce(ProjectionTables tables, TopicReplay replay, RebuildRun run) {
        List<MessageListenerContainer> containers = FACT_TOPICS.stream().map(this::listenerOf).toList();
        containers.forEach(MessageListenerContainer::stop);
        try {
            Instant[] writesBlocked = new Instant[1];
            transactions.executeWithoutResult(status -> {
                refresher.holdRefreshesUntilCommit();
                tables.blockWritesToLive(LOCK_TIMEOUT_SECONDS);
                writesBlocked[0] = clock.instant();
                awaitPublished(tables);
                Map<TopicPartition, Long> targets = whatTheLiveProjectionHasApplied(replay);
                run.toReplay(replay.recordsUpTo(targets));
                replay.readUpTo(targets, batch -> apply(tables, batch, run));
                ProjectionTables.Comparison comparison = tables.compare(20);
                int datesChanged = tables.recordChangedDates(now());
                tables.switchToTheCopies();
                run.switched(comparison, datesChanged, Duration.between(writesBlocked[0], clock.instant()));
            });
        } finally {
            containers.forEach(MessageListenerContainer::start);
        }
    }

    /**
     * The offsets up to which the live tables hold the topics: every PreorderPlaced published (placements write the
     * projection before they publish), and the listeners' committed offsets. Replaying exactly that far makes the
     * copies comparable with the live tables; the restarted listeners then go on from there in the copies.
     */
    private Map<TopicPartition, Long> whatTheLiveProjectionHasApplied(TopicReplay replay) {
        Map<TopicPartition, Long> targets = new HashMap<>(replay.endOffsets(Topics.PREORDER_PLACED));
        for (String topic : FACT_TOPICS) {
            targets.putAll(replay.committedOffsets(listenerOf(topic).getGroupId(), topic));
        }
        return targets;
    }

    /** The service's one listener of the topic (found by topic: the listeners keep their ids to themselves). */
    private MessageListenerContainer listenerOf(String topic) {
        return listeners.getListenerContainers().stream()
                .filter(container -> List.of(container.getContainerProperties().getTopics()).contains(topic))
                .findFirst().orElseThrow(() -> new IllegalStateException("orders-service has no listener of " + topic));
    }

    private void awaitPublished(ProjectionTables tables) {
        Instant giveUp = clock.instant().plus(OUTBOX_PATIENCE);
        while (tables.unpublishedEvents(Topics.PREORDER_PLACED) > 0) {
            if (clock.instant().isAfter(giveUp)) {
                throw new IllegalStateException("the outbox did not publish the committed PreorderPlaced events within " + OUTBOX_PATIENCE);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /**
     * Applies a polled batch to the copies in one transaction; if that fails because of an event, one event per
     * transaction, skipping the events the live projection could not apply either (they went to the dead-letter
     * topics). A failure of the infrastructure fails the rebuild.
     */
    private void apply(ProjectionTables tables, List<ConsumerRecord<String, byte[]>> batch, RebuildRun run) {
        List<Object> events = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> record : batch) {
            try {
                events.add(decoders.get(record.topic()).decode(record));
            } catch (RuntimeException e) {
                if (!Failures.isEventsFault(e)) {
                    throw e; // the registry away: the rebuild fails, it does not skip what it could not read
                }
                skip(run, record.topic(), record.partition(), record.offset(), e);
            }
        }
        BatchFallback.apply(ownTransactions, events, true, inCopies -> {
            jdbc.sql(tables.useTheCopies()).update();
            applyAll(inCopies);
            return inCopies.size();
        }, (event, e) -> {
            skip(run, event.getClass().getSimpleName(), -1, -1, e);
            return true;
        });
        run.replayed(batch.size());
    }

    /**
     * Applies the events with the projection's batch methods, as the service does: placements first (a preorder is
     * placed before its unit is built), then units built, then schedules. A PreorderPlaced the relay sent twice (a
     * crash before it deleted the row) starts the projection once.
     */
    private void applyAll(List<Object> events) {
        Map<PreorderId, EtaProjection.NewPreorder> placed = new LinkedHashMap<>();
        List<UnitBuilt> built = new ArrayList<>();
        List<DeliveryScheduled> scheduled = new ArrayList<>();
        for (Object event : events) {
            switch (event) {
                case PreorderPlaced preorder -> {
                    PreorderId id = PreorderId.parse(preorder.getPreorderId());
                    placed.putIfAbsent(id, new EtaProjection.NewPreorder(id, preorder.getVariant(), preorder.getDeliveryCity(),
                            preorder.getPlacedAt().truncatedTo(ChronoUnit.MILLIS)));
                }
                case UnitBuilt unit -> built.add(unit);
                case DeliveryScheduled schedule -> scheduled.add(schedule);
                default -> throw new IllegalArgumentException("not an event of the ETA projection: " + event.getClass());
            }
        }
        if (!placed.isEmpty()) {
            jdbc.sql("select preorder_id from preorder_eta where preorder_id = any(?)")
                    .param(placed.keySet().stream().map(PreorderId::value).toArray(UUID[]::new))
                    .query(UUID.class).list().forEach(id -> placed.remove(new PreorderId(id)));
            projection.placedAll(List.copyOf(placed.values()));
        }
        if (!built.isEmpty()) {
            projection.builtAll(built);
        }
        if (!scheduled.isEmpty()) {
            projection.scheduledAll(scheduled);
        }
    }


    private void skip(RebuildRun run, String what, int partition, long offset, RuntimeException cause) {
        run.skipped();
        log.warn("rebuild {}: skipped {} (partition {}, offset {}), as the live projection did: {}", run.id(), what, partition, offset,
                cause.getMessage());
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

    /** 409: a rebuild is already running. */
    static final class RebuildRunningException extends ProblemException {

        static final ProblemType REBUILD_RUNNING = new ProblemType("rebuild-running", HttpStatus.CONFLICT, "A rebuild is running");

        RebuildRunningException(UUID running) {
            super(REBUILD_RUNNING, "rebuild %s of the ETA projection is running; follow it at %s"
                    .formatted(running, EtaProjectionRebuildController.PATH + "/" + running));
        }
    }
}
