package com.su7.orders.eta.rebuild;

import com.su7.contract.PreorderId;
import com.su7.events.DeliveryScheduled;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.messaging.inbox.BatchFallback;
import com.su7.messaging.inbox.EventDecoder;
import com.su7.messaging.inbox.Failures;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.orders.eta.EtaProjection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies one rebuild's replayed records to the copies of the projection's tables, a polled batch at a time, the way
 * the service applies them: decoded as the listeners decode them, the listeners' events deduplicated as the inbox
 * does, through the projection's batch methods. Records at fault are skipped and reported to the run.
 */
final class CopiesReplay {

    private static final Logger log = LoggerFactory.getLogger(CopiesReplay.class);

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final Map<String, EventDecoder<?>> decoders;
    private final EtaProjection projection;
    private final ProjectionTables tables;
    private final LiveProjectionSkips skips;
    private final Map<String, String> consumerOfTopic;
    private final RebuildRun run;

    /**
     * @param transactions    transactions of their own, never joining one the caller holds (the switch's)
     * @param decoders        the decoder of each replayed topic
     * @param consumerOfTopic the inbox consumer (listener id) of each topic a listener applies
     */
    CopiesReplay(JdbcClient jdbc, TransactionOperations transactions, Map<String, EventDecoder<?>> decoders, EtaProjection projection,
                 ProjectionTables tables, LiveProjectionSkips skips, Map<String, String> consumerOfTopic, RebuildRun run) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.decoders = Map.copyOf(decoders);
        this.projection = projection;
        this.tables = tables;
        this.skips = skips;
        this.consumerOfTopic = Map.copyOf(consumerOfTopic);
        this.run = run;
    }

    /**
     * Applies a polled batch to the copies in one transaction; if that fails because of an event, one event per
     * transaction, as the inbox does. A record at fault itself is skipped and listed; any other failure is thrown (the
     * batch is read again after a back-off): a record is never skipped because the registry or the database was away.
     */
    void apply(List<ConsumerRecord<String, byte[]>> batch) {
        List<Replayed> decoded = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> record : batch) {
            try {
                decoded.add(decode(record));
            } catch (RuntimeException e) {
                if (!Failures.isEventsFault(e)) {
                    throw e;
                }
                skip(record, e);
            }
        }
        BatchFallback.apply(transactions, decoded, true, inCopies -> {
            jdbc.sql(tables.useTheCopies()).update();
            applyAll(inCopies);
            return inCopies.size();
        }, (replayed, e) -> {
            skip(replayed.record(), e);
            return true;
        });
        run.replayed(batch.size());
    }

    private Replayed decode(ConsumerRecord<String, byte[]> record) {
        Object event = decoders.get(record.topic()).decode(record);
        ProjectionTables.Consumed consumed = switch (event) {
            case UnitBuilt unit -> new ProjectionTables.Consumed(consumerOfTopic.get(record.topic()), unit.getEventId());
            case DeliveryScheduled schedule -> new ProjectionTables.Consumed(consumerOfTopic.get(record.topic()), schedule.getEventId());
            default -> null; // the service's own PreorderPlaced and PreorderCancelled: no listener consumes them
        };
        if (consumed != null && consumed.eventId().isBlank()) {
            throw new PermanentEventException("event has no event id"); // as the inbox judges it
        }
        return new Replayed(record, event, consumed);
    }

    /**
     * Applies the events with the projection's batch methods, as the service does: placements first (a preorder is
     * placed before its unit is built), then units built, then schedules, then cancellations. The listeners' events go through the
     * inbox's deduplication (in the copy of its table): an event applied once, however often it is on the topic. A
     * PreorderPlaced the relay sent twice (a crash before it deleted the row) starts the projection once.
     */
    private void applyAll(List<Replayed> batch) {
        Map<ProjectionTables.Consumed, Instant> consumed = new HashMap<>();
        for (Replayed replayed : batch) {
            if (replayed.consumed() != null) {
                long timestamp = replayed.record().timestamp();
                consumed.putIfAbsent(replayed.consumed(), timestamp < 0 ? Instant.now() : Instant.ofEpochMilli(timestamp));
            }
        }
        Set<ProjectionTables.Consumed> fresh = tables.markNew(consumed);
        Map<PreorderId, EtaProjection.NewPreorder> placed = new LinkedHashMap<>();
        List<UnitBuilt> built = new ArrayList<>();
        List<DeliveryScheduled> scheduled = new ArrayList<>();
        Map<PreorderId, Instant> cancelled = new LinkedHashMap<>();
        for (Replayed replayed : batch) {
            // remove: a duplicate inside the batch is applied once too
            if (replayed.consumed() != null && !fresh.remove(replayed.consumed())) {
                continue;
            }
            switch (replayed.event()) {
                case PreorderPlaced preorder -> {
                    PreorderId id = PreorderId.parse(preorder.getPreorderId());
                    placed.putIfAbsent(id, new EtaProjection.NewPreorder(id, preorder.getVariant(), preorder.getDeliveryCity(),
                            preorder.getPlacedAt().truncatedTo(ChronoUnit.MILLIS)));
                }
                case UnitBuilt unit -> built.add(unit);
                case DeliveryScheduled schedule -> scheduled.add(schedule);
                case PreorderCancelled cancellation ->
                        cancelled.putIfAbsent(PreorderId.parse(cancellation.getPreorderId()), cancellation.getOccurredAt());
                default -> throw new IllegalArgumentException("not an event of the ETA projection: " + replayed.event().getClass());
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
        // A cancellation ends the preorder's way whenever it was read: one ahead of its PreorderPlaced is held.
        if (!cancelled.isEmpty()) {
            projection.cancelledAll(cancelled);
        }
    }

    private void skip(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
        boolean liveToo = skips.skippedToo(record);
        String position = "%s-%d@%d".formatted(record.topic(), record.partition(), record.offset());
        run.skipped(new RebuildRun.SkippedRecord(position, record.key(), cause.getMessage(), liveToo));
        log.warn("rebuild {}: skipped {} (key {}), {}: {}", run.id(), position, record.key(),
                liveToo ? "as the live projection did" : "which the live projection did not skip (the switch will be refused)",
                cause.getMessage());
    }

    /** A replayed record, decoded, and for a listener's event how the inbox knows it. */
    private record Replayed(ConsumerRecord<String, byte[]> record, Object event, ProjectionTables.Consumed consumed) {
    }
}
