package com.su7.orders.eta;

import java.time.Instant;

/**
 * What was observed of a variant's builds.
 *
 * @param unitsInWindow units built within the rate window, up to now
 * @param firstBuiltAt  when the first unit of the variant was built; null if none has been yet
 */
public record BuildHistory(long unitsInWindow, Instant firstBuiltAt) {

    public static final BuildHistory NONE = new BuildHistory(0, null);

    public BuildHistory {
        if (unitsInWindow < 0) {
            throw new IllegalArgumentException("units built cannot be negative, not " + unitsInWindow);
        }
    }
}
