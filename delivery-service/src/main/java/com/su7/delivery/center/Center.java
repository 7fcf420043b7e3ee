package com.su7.delivery.center;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A delivery centre: where the cars for one city are handed over, at most {@code dailyCapacity} a day.
 *
 * @param city          the city it serves (the key; the delivery city of a preorder)
 * @param name          what customers and events call it, e.g. "Beijing Delivery Center"
 * @param transitDays   days from the plant to the centre
 * @param dailyCapacity hand-overs it can do per factory day
 * @param updatedAt     when its capacity last changed
 */
public record Center(String city, String name, int transitDays, int dailyCapacity, Instant updatedAt) {

    /** The first day a car built on {@code buildDate} can be handed over here, never before {@code today}. */
    public LocalDate earliestHandOver(LocalDate buildDate, LocalDate today) {
        LocalDate arrival = buildDate.plusDays(transitDays);
        return arrival.isBefore(today) ? today : arrival;
    }
}
