package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.PreorderCancelled;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.messaging.inbox.Received;
import com.su7.production.shared.ProductionDays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cancelled preorders leave production: a queued one leaves the queue; a built one (delivery scheduled or not) gives
 * its unit to the next preorder in line of its variant ({@link CancelledUnits}); one production has not seen yet is
 * held and taken in cancelled. A preorder is cancelled once: a cancellation of one already cancelled changes nothing.
 */
@Component
class Cancellations {

    private static final Logger log = LoggerFactory.getLogger(Cancellations.class);

    private final ProductionQueue queue;
    private final ProductionDays days;
    private final IntakeLock intakeLock;
    private final HeldCancellations heldCancellations;
    private final CancelledUnits cancelledUnits;
    private final QueueEtaProjection projection;

    Cancellations(ProductionQueue queue, ProductionDays days, IntakeLock intakeLock, HeldCancellations heldCancellations,
                  CancelledUnits cancelledUnits, QueueEtaProjection projection) {
        this.queue = queue;
        this.days = days;
        this.intakeLock = intakeLock;
        this.heldCancellations = heldCancellations;
        this.cancelledUnits = cancelledUnits;
        this.projection = projection;
    }

    /**
     * A batch of cancellations in the inbox's transaction. It takes the queue lock first, as the lines do before they
     * lock the next preorders in line, so a cancellation and a day's build never interleave: the preorder is cancelled
     * before the build (then never built) or after it (then its unit goes on), and nothing in between. It then holds
     * intake off, so a preorder taken in at the same moment is either seen here or finds its held cancellation.
     */
    void cancelAll(List<Received<PreorderCancelled>> events) {
        Map<PreorderId, Received<PreorderCancelled>> byId = new LinkedHashMap<>();
        for (Received<PreorderCancelled> received : events) {
            byId.putIfAbsent(idOf(received.event()), received);
        }
        days.lock();
        intakeLock.exclude();
        Map<PreorderId, PreorderState> found = queue.findAllForUpdate(List.copyOf(byId.keySet()));
        Map<PreorderId, Instant> toCancel = new LinkedHashMap<>();
        Map<PreorderId, Instant> toHold = new LinkedHashMap<>();
        List<QueuedPreorder> leftTheQueue = new ArrayList<>();
        List<ReleasedUnit> released = new ArrayList<>();
        byId.forEach((id, received) -> {
            PreorderState preorder = found.get(id);
            Instant cancelledAt = received.event().getOccurredAt();
            if (preorder == null) {
                toHold.put(id, cancelledAt);
                log.info("cancellation of preorder {} held: production has not taken it in yet", id);
            } else if (preorder.isCancelled()) {
                log.info("preorder {} is cancelled already (at {}): nothing changes", id, preorder.cancelledAt());
            } else {
                toCancel.put(id, cancelledAt);
                if (preorder.isQueued()) {
                    leftTheQueue.add(new QueuedPreorder(id, preorder.variant(), preorder.deliveryCity(), preorder.placedAt()));
                    log.info("preorder {} cancelled: out of the queue", id);
                } else {
                    released.add(ReleasedUnit.of(preorder));
                    log.info("preorder {} cancelled ({}): its unit {} goes to the next {} in line", id, preorder.status(),
                            preorder.vin(), preorder.variant());
                }
            }
        });
        heldCancellations.hold(toHold, days.now());
        // Before the units move on: a VIN is held by one preorder at a time.
        queue.cancel(toCancel);
        leftTheQueue.addAll(cancelledUnits.giveToNextInLine(released, from -> byId.get(from).trace()));
        projection.projectAfterCommit(leftTheQueue);
    }

    private static PreorderId idOf(PreorderCancelled event) {
        try {
            return PreorderId.parse(event.getPreorderId());
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
    }
}
