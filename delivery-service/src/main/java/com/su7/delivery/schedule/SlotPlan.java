package com.su7.delivery.schedule;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * One centre's bookings per day, in memory, to plan many bookings or moves at once (a batch of units, a capacity
 * raise, cancellations): a day is free while its load is below the capacity. Days not in the plan have no bookings.
 */
final class SlotPlan {

    private final int capacity;
    private final Map<LocalDate, Integer> loads;
    private final Map<LocalDate, Integer> changed = new HashMap<>();

    SlotPlan(int capacity, Map<LocalDate, Integer> loads) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a centre's capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.loads = new HashMap<>(loads);
    }

    int loadOn(LocalDate day) {
        return loads.getOrDefault(day, 0);
    }

    /** The first day on or after {@code from} with a free slot. */
    LocalDate firstFree(LocalDate from) {
        LocalDate day = from;
        while (loadOn(day) >= capacity) {
            day = day.plusDays(1);
        }
        return day;
    }

    /** Takes the first free day on or after {@code earliest}. */
    LocalDate book(LocalDate earliest) {
        LocalDate day = firstFree(earliest);
        set(day, loadOn(day) + 1);
        return day;
    }

    /**
     * Gives up the booking on {@code current} and takes the first free day from {@code earliest}: never later
     * than {@code current} (its own slot is free again), so a hand-over only ever moves earlier or stays.
     */
    LocalDate rebook(LocalDate current, LocalDate earliest) {
        if (earliest.isAfter(current)) {
            throw new IllegalArgumentException("a hand-over booked on %s cannot have its earliest day later, on %s".formatted(current, earliest));
        }
        set(current, loadOn(current) - 1);
        LocalDate day = firstFree(earliest);
        set(day, loadOn(day) + 1);
        return day;
    }

    /** Gives up a booking on {@code day} (a cancelled hand-over). */
    void release(LocalDate day) {
        set(day, loadOn(day) - 1);
    }

    /** The days whose load changed, with their new load. */
    Map<LocalDate, Integer> changedLoads() {
        return Map.copyOf(changed);
    }

    private void set(LocalDate day, int load) {
        if (load < 0) {
            throw new IllegalStateException("no hand-over is booked on %s to give up".formatted(day));
        }
        loads.put(day, load);
        changed.put(day, load);
    }
}
