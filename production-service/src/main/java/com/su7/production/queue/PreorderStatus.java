package com.su7.production.queue;

/** Where a preorder is on its way through production; CANCELLED is final (out of the queue, no unit). */
public enum PreorderStatus {
    QUEUED, BUILT, DELIVERY_SCHEDULED, CANCELLED
}
