package com.su7.orders.preorder;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How preorders are placed: REST placements batched ({@link PlacementQueue}), app requests timed ({@link PlacedAt}).
 *
 * @param maxBatch         the most requests placed in one transaction
 * @param queueCapacity    the most requests waiting for a batch; more are refused with 503 and {@code Retry-After}
 * @param requestedAtSkew  how long before its receipt an app request's {@code requestedAt} still counts: at a launch's
 *                         thousands of requests a second, each millisecond of it is a place in the queue
 */
@ConfigurationProperties("orders.placement")
record PlacementProperties(@DefaultValue("500") int maxBatch, @DefaultValue("5000") int queueCapacity,
                           @DefaultValue("1s") Duration requestedAtSkew) {

    PlacementProperties {
        if (maxBatch < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("orders.placement.max-batch and .queue-capacity must be 1 or more, not %d and %d"
                    .formatted(maxBatch, queueCapacity));
        }
        if (requestedAtSkew.isNegative() || requestedAtSkew.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("orders.placement.requested-at-skew must be between 0 and 1m, not " + requestedAtSkew);
        }
    }
}
