package com.su7.orders.preorder;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cancellations by customers.
 *
 * @param refundWindowDays a preorder can be cancelled (and its deposit refunded) until this many factory days after it
 *                         was accepted (its deposit taken)
 */
@ConfigurationProperties("orders.cancellation")
record CancellationProperties(@DefaultValue("7") int refundWindowDays) {

    CancellationProperties {
        if (refundWindowDays < 0) {
            throw new IllegalArgumentException("orders.cancellation.refund-window-days must be 0 or more, not " + refundWindowDays);
        }
    }
}
