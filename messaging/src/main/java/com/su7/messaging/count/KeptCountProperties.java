package com.su7.messaging.count;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The counts a service keeps as deltas ({@link KeptCounts}).
 *
 * @param foldInterval how often every count's deltas are folded into a row per key: the longer, the more rows a read
 *                     sums (one per writing transaction meanwhile)
 */
@ConfigurationProperties("su7.messaging.counts")
public record KeptCountProperties(@DefaultValue("5s") Duration foldInterval) {

    public KeptCountProperties {
        if (foldInterval.isNegative() || foldInterval.isZero()) {
            throw new IllegalArgumentException("su7.messaging.counts.fold-interval is " + foldInterval + ": set a positive duration, e.g. 5s");
        }
    }
}
