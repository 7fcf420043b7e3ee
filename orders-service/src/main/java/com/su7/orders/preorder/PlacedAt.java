package com.su7.orders.preorder;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * When a preorder is placed, i.e. its place in the first-come-first-served production queue. The app's
 * {@code requestedAt} is the customer's tap as a client reports it, so it counts only within a small skew before
 * receipt (covering the trip from phone to Kafka): a client cannot move a preorder ahead of the requests that reached
 * us before it. Receipt is when the request reached Kafka (its record's timestamp, stamped by the app's backend), not
 * when a lagging consumer got to it, and never later than now.
 */
final class PlacedAt {

    private PlacedAt() {
    }

    static Instant of(Instant requestedAt, Instant receivedAt, Instant now, Duration skew) {
        Instant receipt = receivedAt == null || receivedAt.isAfter(now) ? now : receivedAt;
        Instant earliest = receipt.minus(skew);
        Instant placedAt = requestedAt == null || requestedAt.isAfter(receipt) ? receipt
                : requestedAt.isBefore(earliest) ? earliest : requestedAt;
        return placedAt.truncatedTo(ChronoUnit.MILLIS);
    }
}
