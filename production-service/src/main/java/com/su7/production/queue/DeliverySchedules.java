package com.su7.production.queue;

import com.su7.events.DeliveryScheduled;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.production.shared.PreorderId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The delivery date delivery-service scheduled becomes the preorder's final ETA. A higher revision supersedes
 * a lower one; a lower or equal revision arriving later changes nothing.
 */
@Component
class DeliverySchedules {

    private static final Logger log = LoggerFactory.getLogger(DeliverySchedules.class);

    private final ProductionQueue queue;

    DeliverySchedules(ProductionQueue queue) {
        this.queue = queue;
    }

    /** Runs in the inbox's transaction. */
    void apply(DeliveryScheduled event) {
        PreorderId id;
        try {
            id = PreorderId.parse(event.getPreorderId());
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
        PreorderState preorder = queue.findForUpdate(id)
                .orElseThrow(() -> new PermanentEventException("preorder %s is unknown to production".formatted(id)));
        if (preorder.isQueued()) {
            throw new PermanentEventException("preorder %s is not built yet, its delivery cannot be scheduled".formatted(id));
        }
        if (!preorder.vin().equals(event.getVin())) {
            throw new PermanentEventException("preorder %s was built as VIN %s, not %s".formatted(id, preorder.vin(), event.getVin()));
        }
        if (queue.scheduleDelivery(id, event.getDeliveryCenter(), event.getDeliveryDate(), event.getRevision())) {
            log.info("delivery of preorder {} scheduled for {} at {} (revision {})", id, event.getDeliveryDate(),
                    event.getDeliveryCenter(), event.getRevision());
        } else {
            log.info("ignored revision {} of the delivery of preorder {}: revision {} is in force", event.getRevision(), id,
                    preorder.deliveryRevision());
        }
    }
}
