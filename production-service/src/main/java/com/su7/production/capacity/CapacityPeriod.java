package com.su7.production.capacity;

import java.time.LocalDate;

/**
 * Units the plant builds on each factory day in [from, to); {@code to == null}: from then on.
 */
public record CapacityPeriod(LocalDate from, LocalDate to, int unitsPerDay) {

    public boolean contains(LocalDate date) {
        return !date.isBefore(from) && (to == null || date.isBefore(to));
    }

    public boolean isOpenEnded() {
        return to == null;
    }
}
