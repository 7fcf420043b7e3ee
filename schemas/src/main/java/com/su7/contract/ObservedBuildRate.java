package com.su7.contract;

import java.time.Duration;
import java.time.Instant;

/**
 * How fast the plant builds, as a service observes it in UnitBuilt: the units built in the last {@code windowDays}
 * factory days, divided by the days of that window the plant has been building. One definition for every service
 * that estimates from it (orders-service's customer-facing ETA, delivery-service's outlook), so both count the same
 * builds the same way; each counts them in its own database.
 * <p>
 * The window ends where the service has read every partition of UnitBuilt, or now if that is sooner
 * ({@link #windowEndWhereEveryPartitionIsRead}): builds reach a service some time after they happen, and a window
 * ending now would count the days whose builds are still on their way as days without builds (in a demo with
 * one-second factory days that lag is whole days, and the rate would collapse). The window is {@code [start, end)}: a
 * partition read up to a time has read every build before it but maybe not every build at it, and the lines stamp a
 * whole day's units with one time (the day's last millisecond); counted with the end, that day was counted in part
 * (the rate dipped by a share of a day's builds between refreshes, and each dip over the change threshold told
 * thousands of customers a later date).
 *
 * @param units        units built in the window
 * @param daysObserved factory days of the window since the first build (fractions count)
 */
public record ObservedBuildRate(long units, double daysObserved) {

    public ObservedBuildRate {
        if (units < 0 || daysObserved < 0) {
            throw new IllegalArgumentException("units (%d) and days observed (%s) cannot be negative".formatted(units, daysObserved));
        }
    }

    /**
     * Where the window ends: at the earliest of each UnitBuilt partition's latest build read (every build before it has
     * been read; {@code com.su7.messaging.inbox.PartitionsRead}), or now if that is sooner; null (nothing read): now.
     * Partitions are each read in order but not at the same pace: a window ending a day after the latest build of all
     * (as before) counted the builds of the partitions read furthest and missed those behind; in a launch with
     * one-second factory days orders-service's rate read half the builds, and swung two- to three-fold between refreshes.
     */
    public static Instant windowEndWhereEveryPartitionIsRead(Instant now, Instant everyPartitionReadUpTo) {
        return everyPartitionReadUpTo == null || everyPartitionReadUpTo.isAfter(now) ? now : everyPartitionReadUpTo;
    }

    /** Where the window of {@code windowDays} factory days ending at {@code windowEnd} starts (inclusive). */
    public static Instant windowStart(Instant windowEnd, int windowDays, Duration dayLength) {
        return windowEnd.minus(dayLength.multipliedBy(windowDays));
    }

    /**
     * The rate of the {@code unitsInWindow} built in the window {@code [windowStart, windowEnd)}, the first of all
     * at {@code firstBuiltAt} (null: none yet).
     */
    public static ObservedBuildRate of(long unitsInWindow, Instant firstBuiltAt, Instant windowEnd, int windowDays, Duration dayLength) {
        if (firstBuiltAt == null) {
            return new ObservedBuildRate(unitsInWindow, 0);
        }
        Duration window = dayLength.multipliedBy(windowDays);
        Duration sinceFirst = Duration.between(firstBuiltAt, windowEnd);
        Duration observed = sinceFirst.isNegative() ? Duration.ZERO : sinceFirst.compareTo(window) < 0 ? sinceFirst : window;
        return new ObservedBuildRate(unitsInWindow, (double) observed.toNanos() / dayLength.toNanos());
    }

    /**
     * Units per factory day, over at least one day (so the first builds do not read as a flood); 0 without builds in
     * the window.
     */
    public double unitsPerDay() {
        return units == 0 ? 0 : units / Math.max(1, daysObserved);
    }

    /** Whether a full factory day of builds was observed: before that, the first builds are a count, not yet a rate. */
    public boolean coversAFactoryDay() {
        return daysObserved >= 1;
    }
}
