package com.su7.orders.preorder;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How REST placements are batched ({@link PlacementQueue}).
 *
 * @param maxBatch      the most requests placed in one transaction
 * @param queueCapacity the most requests waiting for a batch; more are refused with 503 and {@code Retry-After}
 */
@ConfigurationProperties("orders.placement")
record PlacementProperties(@DefaultValue("500") int maxBatch, @DefaultValue("5000") int queueCapacity) {

    PlacementProperties {
        if (maxBatch < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("orders.placement.max-batch and .queue-capacity must be 1 or more, not %d and %d"
                    .formatted(maxBatch, queueCapacity));
        }
    }
}
