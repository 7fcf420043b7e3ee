package com.su7.delivery.outlook;

import java.time.LocalDate;
import java.util.Map;

/**
 * The delivery date of a preorder not built yet: its unit is built after the {@code unitsAhead} unbuilt
 * preorders placed before it, at the observed build rate, then travels to its centre, and gets the first slot
 * there after the centre's already booked hand-overs and the {@code aheadAtCenter} earlier preorders for the
 * same centre (which take the earliest free slots first).
 */
record EtaEstimate(LocalDate estimatedBuildDate, LocalDate deliveryDate) {

    static EtaEstimate of(LocalDate today, BuildRate rate, long unitsAhead, long aheadAtCenter, int transitDays, int capacity,
                          Map<LocalDate, Integer> bookedLoads) {
        if (!rate.known()) {
            throw new IllegalArgumentException("no estimate without an observed build rate");
        }
        long buildDays = (long) Math.ceil((unitsAhead + 1) / rate.unitsPerDay()) - 1;
        LocalDate buildDate = today.plusDays(Math.max(0, buildDays));
        LocalDate earliest = buildDate.plusDays(transitDays);
        long remainingAhead = aheadAtCenter;
        for (LocalDate day = today.plusDays(transitDays); ; day = day.plusDays(1)) {
            long free = Math.max(0, capacity - bookedLoads.getOrDefault(day, 0));
            long takenByEarlier = Math.min(free, remainingAhead);
            remainingAhead -= takenByEarlier;
            if (!day.isBefore(earliest) && free - takenByEarlier > 0) {
                return new EtaEstimate(buildDate, day);
            }
        }
    }
}
