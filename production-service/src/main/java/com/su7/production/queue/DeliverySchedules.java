package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.DeliveryScheduled;
import com.su7.messaging.inbox.PermanentEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The delivery date delivery-service scheduled becomes the preorder's final ETA. A higher revision supersedes
 * a lower one; a lower or equal revision arriving later changes nothing, and so does any schedule of a cancelled
 * preorder (a valid event that came after the cancellation).
 */
@Component
class DeliverySchedules {

    private static final Logger log = LoggerFactory.getLogger(DeliverySchedules.class);

    private final ProductionQueue queue;

    DeliverySchedules(ProductionQueue queue) {
        this.queue = queue;
    }

    /**
     * A batch of schedules in the inbox's transaction, with two statements: lock the preorders, apply every
     * schedule whose revision is above the one in force. A batch that names a preorder twice is applied event by event.
     */
    void applyAll(List<DeliveryScheduled> events) {
        List<PreorderId> ids = events.stream().map(DeliverySchedules::idOf).toList();
        if (new HashSet<>(ids).size() < ids.size()) {
            events.forEach(this::apply);
            return;
        }
        Map<PreorderId, PreorderState> preorders = queue.findAllForUpdate(ids);
        List<ProductionQueue.DeliveryBooking> bookings = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            DeliveryScheduled event = events.get(i);
            if (check(ids.get(i), Optional.ofNullable(preorders.get(ids.get(i))), event).isCancelled()) {
                ignoreCancelled(ids.get(i), event);
                continue;
            }
            bookings.add(new ProductionQueue.DeliveryBooking(ids.get(i), event.getDeliveryCenter(), event.getDeliveryDate(), event.getRevision()));
        }
        Set<UUID> applied = new HashSet<>(queue.scheduleDeliveries(bookings));
        for (ProductionQueue.DeliveryBooking booking : bookings) {
            if (applied.contains(booking.id().value())) {
                log.debug("delivery of preorder {} scheduled for {} at {} (revision {})", booking.id(), booking.deliveryDate(),
                        booking.deliveryCenter(), booking.revision());
            } else {
                log.info("ignored revision {} of the delivery of preorder {}: revision {} is in force", booking.revision(), booking.id(),
                        preorders.get(booking.id()).deliveryRevision());
            }
        }
    }

    /** Runs in the inbox's transaction. */
    void apply(DeliveryScheduled event) {
        PreorderId id = idOf(event);
        PreorderState preorder = check(id, queue.findForUpdate(id), event);
        if (preorder.isCancelled()) {
            ignoreCancelled(id, event);
        } else if (queue.scheduleDelivery(id, event.getDeliveryCenter(), event.getDeliveryDate(), event.getRevision())) {
            log.debug("delivery of preorder {} scheduled for {} at {} (revision {})", id, event.getDeliveryDate(),
                    event.getDeliveryCenter(), event.getRevision());
        } else {
            log.info("ignored revision {} of the delivery of preorder {}: revision {} is in force", event.getRevision(), id,
                    preorder.deliveryRevision());
        }
    }

    private static void ignoreCancelled(PreorderId id, DeliveryScheduled event) {
        log.info("ignored revision {} of the delivery of preorder {}: it is cancelled", event.getRevision(), id);
    }

    private static PreorderId idOf(DeliveryScheduled event) {
        try {
            return PreorderId.parse(event.getPreorderId());
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
    }

    /** What a schedule can never be applied to: an unknown preorder, one not built, another VIN (a cancelled one passes). */
    private static PreorderState check(PreorderId id, Optional<PreorderState> found, DeliveryScheduled event) {
        PreorderState preorder = found
                .orElseThrow(() -> new PermanentEventException("preorder %s is unknown to production".formatted(id)));
        if (preorder.isCancelled()) {
            return preorder;
        }
        if (preorder.isQueued()) {
            throw new PermanentEventException("preorder %s is not built yet, its delivery cannot be scheduled".formatted(id));
        }
        if (!preorder.vin().equals(event.getVin())) {
            throw new PermanentEventException("preorder %s was built as VIN %s, not %s".formatted(id, preorder.vin(), event.getVin()));
        }
        return preorder;
    }
}
