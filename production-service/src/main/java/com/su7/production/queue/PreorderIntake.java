package com.su7.production.queue;

import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.production.shared.PreorderId;
import com.su7.production.shared.ProductionDays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Takes placed preorders into the queue, each once, and projects their ETAs before the batch commits. */
@Component
class PreorderIntake {

    private static final Logger log = LoggerFactory.getLogger(PreorderIntake.class);

    private final ProductionQueue queue;
    private final EtaProjection projection;
    private final ProductionDays days;

    PreorderIntake(ProductionQueue queue, EtaProjection projection, ProductionDays days) {
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
        if (event.getPlacedAt() == null || event.getVariant() == null) {
            throw new PermanentEventException("preorder %s has no placedAt or variant".formatted(id));
        }
        QueuedPreorder preorder = new QueuedPreorder(id, event.getVariant(), event.getDeliveryCity().strip(), event.getPlacedAt());
        if (queue.enqueue(preorder, days.now())) {
            projection.projectBeforeCommitFrom(preorder);
        } else {
            log.debug("preorder {} is queued already", id);
        }
    }
}
