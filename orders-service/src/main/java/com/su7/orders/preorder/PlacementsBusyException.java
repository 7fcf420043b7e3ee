package com.su7.orders.preorder;

/** More REST placements wait than the service takes at once: the caller should send the same request again shortly. */
class PlacementsBusyException extends RuntimeException {

    PlacementsBusyException(int capacity) {
        super("%d preorders are waiting to be placed already; send the same request (same Idempotency-Key) again in a moment"
                .formatted(capacity));
    }
}
