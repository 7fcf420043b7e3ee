package com.su7.delivery.outlook;

import java.time.Duration;
import java.time.Instant;

/**
 * Units built per factory day, as observed in UnitBuilt: the builds of the last {@code window} divided by the
 * part of the window the plant has been building (at least one day, so the first builds do not read as a
 * flood).
 */
record BuildRate(double unitsPerDay) {

    static BuildRate observed(long builtInWindow, Instant firstBuiltAt, Instant now, Duration window, Duration dayLength) {
        if (builtInWindow <= 0 || firstBuiltAt == null) {
            return new BuildRate(0);
        }
        Duration building = Duration.between(firstBuiltAt, now);
        Duration observed = building.compareTo(window) < 0 ? building : window;
        double days = Math.max(1.0, (double) observed.toNanos() / dayLength.toNanos());
        return new BuildRate(builtInWindow / days);
    }

    boolean known() {
        return unitsPerDay > 0;
    }
}
