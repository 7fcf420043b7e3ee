package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Everything production knows of one preorder. {@code queuePosition} (1 = next to be built) only while queued;
 * {@code estimatedBuildDate} is the projection while queued and the build date afterwards.
 */
public record PreorderState(PreorderId id, Variant variant, String deliveryCity, Instant placedAt, PreorderStatus status,
                            Long queuePosition, LocalDate estimatedBuildDate, LocalDate eta, String vin, String plant,
                            Instant builtAt, String deliveryCenter, LocalDate deliveryDate, Integer deliveryRevision) {

    public boolean isQueued() {
        return status == PreorderStatus.QUEUED;
    }
}
