package com.su7.production.queue;

import com.su7.events.Variant;
import com.su7.production.shared.PreorderId;

import java.time.Instant;

/** A preorder waiting for the lines; the queue is ordered by placedAt, ties by id. */
public record QueuedPreorder(PreorderId id, Variant variant, String deliveryCity, Instant placedAt) {
}
