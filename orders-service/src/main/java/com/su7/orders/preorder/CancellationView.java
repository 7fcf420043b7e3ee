package com.su7.orders.preorder;

import com.su7.events.CancellationReason;
import com.su7.orders.eta.ProjectionStatus;

import java.time.Instant;
import java.util.UUID;

/** A cancelled preorder: the answer to every cancellation request of it, the first and any repeated one. */
record CancellationView(UUID preorderId, ProjectionStatus status, CancellationReason reason, Instant cancelledAt) {

    static CancellationView of(Preorder preorder) {
        return new CancellationView(preorder.id().value(), ProjectionStatus.CANCELLED, preorder.cancellation().reason(),
                preorder.cancellation().cancelledAt());
    }
}
