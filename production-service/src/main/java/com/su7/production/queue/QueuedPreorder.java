package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;

import java.time.Instant;

/**
 * A preorder waiting for the lines; the queue is ordered by placedAt, ties by id. {@code traceparent} and
 * {@code queuedAt} say in which trace and since when it waits (null where that does not matter).
 */
public record QueuedPreorder(PreorderId id, Variant variant, String deliveryCity, Instant placedAt, String traceparent,
                             Instant queuedAt) {

    QueuedPreorder(PreorderId id, Variant variant, String deliveryCity, Instant placedAt) {
        this(id, variant, deliveryCity, placedAt, null, null);
    }
}
