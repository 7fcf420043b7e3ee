package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;

import java.time.Instant;

/** A preorder waiting for the lines; the queue is ordered by placedAt, ties by id. */
public record QueuedPreorder(PreorderId id, Variant variant, String deliveryCity, Instant placedAt) {
}
