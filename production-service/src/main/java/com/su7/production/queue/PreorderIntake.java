package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.messaging.inbox.Received;
import com.su7.messaging.tracing.EventTrace;
import com.su7.production.shared.ProductionDays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes placed preorders into the queue, each once: the new preorders of one inbox batch with one statement, in the
 * inbox's transaction. A preorder whose cancellation came first is stored cancelled, never queued; one of a variant
 * with a spare unit gets that unit at once. Once it has committed, the ETA projection learns the earliest of those
 * queued and projects from there at its next round.
 */
@Component
class PreorderIntake {

    private static final Logger log = LoggerFactory.getLogger(PreorderIntake.class);

    private final ProductionQueue queue;
    private final QueueEtaProjection projection;
    private final ProductionDays days;
    private final IntakeLock intakeLock;
    private final HeldCancellations heldCancellations;
    private final CancelledUnits cancelledUnits;

    PreorderIntake(ProductionQueue queue, QueueEtaProjection projection, ProductionDays days, IntakeLock intakeLock,
                   HeldCancellations heldCancellations, CancelledUnits cancelledUnits) {
        this.queue = queue;
        this.projection = projection;
        this.days = days;
        this.intakeLock = intakeLock;
        this.heldCancellations = heldCancellations;
        this.cancelledUnits = cancelledUnits;
    }

    /** Runs in the inbox's transaction; a preorder already known (another event about it) changes nothing. */
    void enqueueAll(List<Received<PreorderPlaced>> events) {
        // A preorder twice in one batch (another event id) is taken in once, as the first event says.
        Map<PreorderId, QueuedPreorder> byId = new LinkedHashMap<>();
        Map<PreorderId, EventTrace> traces = new HashMap<>();
        for (Received<PreorderPlaced> received : events) {
            QueuedPreorder preorder = queued(received.event(), received.trace().traceparent());
            if (byId.putIfAbsent(preorder.id(), preorder) == null) {
                traces.put(preorder.id(), received.trace());
            }
        }
        List<QueuedPreorder> preorders = List.copyOf(byId.values());
        intakeLock.share();
        Map<PreorderId, Instant> cancelled = heldCancellations.take(preorders.stream().map(QueuedPreorder::id).toList());
        List<QueuedPreorder> added = queue.enqueue(preorders, days.now(), cancelled);
        cancelled.keySet().forEach(id -> log.info("preorder {} taken in cancelled, never queued: its cancellation came first", id));
        List<QueuedPreorder> queued = added.stream().filter(preorder -> !cancelled.containsKey(preorder.id())).toList();
        projection.projectAfterCommit(cancelledUnits.giveSparesTo(queued, traces::get));
    }

    /** The preorder to queue, in the trace it is taken in with (its UnitBuilt continues it). */
    private static QueuedPreorder queued(PreorderPlaced event, String traceparent) {
        PreorderId id;
        try {
            id = PreorderId.parse(event.getPreorderId());
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
        if (event.getPlacedAt() == null || event.getVariant() == null || event.getDeliveryCity() == null) {
            throw new PermanentEventException("preorder %s has no placedAt, variant or delivery city".formatted(id));
        }
        return new QueuedPreorder(id, event.getVariant(), event.getDeliveryCity().strip(), event.getPlacedAt(), traceparent, null);
    }
}
