package com.su7.orders.preorder;

import java.time.Instant;

/**
 * A preorder request from the app's event topic. Its request id is the idempotency key; the inbox deduplicates on
 * {@link #eventId()}, the request id with the hash of what was ordered, so a replay is skipped while the same
 * request id with a different order still reaches {@link PreorderService} and is dead-lettered as a conflict.
 * {@code receivedAt} is when it reached Kafka (its record's timestamp), null if the record has none.
 */
record AppPreorderRequest(String requestId, PreorderRequest request, Instant requestedAt, Instant receivedAt,
                          String requestHash) {

    String eventId() {
        return requestId + ":" + requestHash;
    }
}
