package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Everything production knows of one preorder. {@code queuePosition} (1 = next to be built) only while queued;
 * {@code estimatedBuildDate} is the projection while queued and the build date afterwards. A cancelled preorder has
 * neither unit nor ETA: {@code releasedVin} is the unit it gave up, if it had one.
 */
public record PreorderState(PreorderId id, Variant variant, String deliveryCity, Instant placedAt, PreorderStatus status,
                            Long queuePosition, LocalDate estimatedBuildDate, LocalDate eta, String vin, String plant,
                            Instant builtAt, String deliveryCenter, LocalDate deliveryDate, Integer deliveryRevision,
                            Instant cancelledAt, String releasedVin) {

    public boolean isQueued() {
        return status == PreorderStatus.QUEUED;
    }

    public boolean isCancelled() {
        return status == PreorderStatus.CANCELLED;
    }

    /** The unit this preorder holds: only once built, and until it is cancelled. */
    BuiltUnit unit() {
        if (vin == null) {
            throw new IllegalStateException("preorder %s holds no unit (%s)".formatted(id, status));
        }
        return new BuiltUnit(id, vin, plant, builtAt, estimatedBuildDate);
    }
}
