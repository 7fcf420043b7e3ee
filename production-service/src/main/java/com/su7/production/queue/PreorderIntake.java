package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.production.shared.ProductionDays;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes placed preorders into the queue, each once. The preorders of one inbox batch are inserted with one
 * statement just before its transaction commits; once it has committed, the ETA projection learns the earliest
 * of them and projects from there at its next round (not under the queue lock here: intake stays short while
 * the lines build).
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
    void enqueue(PreorderPlaced event) {
        PreorderId id;
        try {
            id = PreorderId.parse(event.getPreorderId());
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
        if (event.getPlacedAt() == null || event.getVariant() == null || event.getDeliveryCity() == null) {
            throw new PermanentEventException("preorder %s has no placedAt, variant or delivery city".formatted(id));
        }
        pendingInThisTransaction().add(new QueuedPreorder(id, event.getVariant(), event.getDeliveryCity().strip(), event.getPlacedAt()));
    }

    private List<QueuedPreorder> pendingInThisTransaction() {
        @SuppressWarnings("unchecked")
        List<QueuedPreorder> pending = (List<QueuedPreorder>) TransactionSynchronizationManager.getResource(this);
        if (pending != null) {
            return pending;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("preorders are queued in the inbox's transaction (none is active)");
        }
        List<QueuedPreorder> created = new ArrayList<>();
        List<QueuedPreorder> added = new ArrayList<>();
        TransactionSynchronizationManager.bindResource(this, created);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                if (!created.isEmpty()) {
                    added.addAll(queue.enqueue(created, days.now()));
                }
            }

            @Override
            public void afterCommit() {
                added.stream().min(QueueEtaProjection.QUEUE_ORDER).ifPresent(projection::projectLaterFrom);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(PreorderIntake.this);
            }
        });
        return created;
    }
}
