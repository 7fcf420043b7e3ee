package com.su7.orders.eta;

/** Where a preorder is on its way to the customer, as far as the events seen tell. */
public enum ProjectionStatus {
    PLACED, BUILT, DELIVERY_SCHEDULED,
    /** cancelled by the customer within the refund window: no longer on its way */
    CANCELLED
}
