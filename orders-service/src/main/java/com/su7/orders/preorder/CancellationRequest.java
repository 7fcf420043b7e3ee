package com.su7.orders.preorder;

/** A customer's request to cancel their preorder: why, one of {@link com.su7.events.CancellationReason}'s symbols. */
record CancellationRequest(String reason) {
}
