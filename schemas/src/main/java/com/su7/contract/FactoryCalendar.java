package com.su7.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * How every service turns instants into the dates customers see (build dates, delivery dates, ETAs): day
 * {@code n} of the calendar is {@code firstDay + n} and starts at {@code firstDayStartsAt + n * dayLength}.
 * With a real day length this is the plant's calendar; shortened (a second in demos and tests), a launch's
 * months pass in minutes. All services must use the same three values, or their dates disagree: they are
 * part of the contract.
 *
 * @param firstDay         the date of day 0
 * @param firstDayStartsAt the instant day 0 begins
 * @param dayLength        how long one factory day lasts
 */
public record FactoryCalendar(LocalDate firstDay, Instant firstDayStartsAt, Duration dayLength) {

    public FactoryCalendar {
        if (dayLength.isNegative() || dayLength.isZero()) {
            throw new IllegalArgumentException("a factory day must last longer than zero, not " + dayLength);
        }
    }

    /** The factory date an instant falls on (instants before day 0 belong to day 0). */
    public LocalDate dateOf(Instant instant) {
        long elapsed = Math.max(0, Duration.between(firstDayStartsAt, instant).toNanos());
        return firstDay.plusDays(elapsed / dayLength.toNanos());
    }

    public LocalDate today(Clock clock) {
        return dateOf(clock.instant());
    }

    /** When a factory date begins. */
    public Instant startOf(LocalDate date) {
        long days = date.toEpochDay() - firstDay.toEpochDay();
        return firstDayStartsAt.plus(dayLength.multipliedBy(days));
    }
}
