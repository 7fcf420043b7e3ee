package com.su7.production.queue;

/** Where a preorder is on its way through production. */
public enum PreorderStatus {
    QUEUED, BUILT, DELIVERY_SCHEDULED
}
