package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.messaging.inbox.Received;
import com.su7.production.shared.ProductionDays;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;

/**
 * Takes placed preorders into the queue, each once: the new preorders of one inbox batch with one statement, in the
 * inbox's transaction. Once it has committed, the ETA projection learns the earliest of them and projects from there
 * at its next round (not under the queue lock here: intake stays short while the lines build).
 */
@Component
class PreorderIntake {

    private final ProductionQueue queue;
    private final QueueEtaProjection projection;
    private final ProductionDays days;

    PreorderIntake(ProductionQueue queue, QueueEtaProjection projection, ProductionDays days) {
        this.queue = queue;
        this.projection = projection;
        this.days = days;
    }

    /** Runs in the inbox's transaction; a preorder already known (another event about it) changes nothing. */
    void enqueueAll(List<Received<PreorderPlaced>> events) {
        List<QueuedPreorder> added = queue.enqueue(events.stream().map(received -> queued(received.event())).toList(), days.now());
        added.stream().min(QueueEtaProjection.QUEUE_ORDER).ifPresent(first ->
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        projection.projectLaterFrom(first);
                    }
                }));
    }

    private static QueuedPreorder queued(PreorderPlaced event) {
        PreorderId id;
        try {
            id = PreorderId.parse(event.getPreorderId());
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
        if (event.getPlacedAt() == null || event.getVariant() == null || event.getDeliveryCity() == null) {
            throw new PermanentEventException("preorder %s has no placedAt, variant or delivery city".formatted(id));
        }
        return new QueuedPreorder(id, event.getVariant(), event.getDeliveryCity().strip(), event.getPlacedAt());
    }
}
