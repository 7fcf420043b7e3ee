package com.su7.messaging;

import com.su7.contract.FactoryCalendar;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The shared factory calendar ({@link FactoryCalendar}); every service must be given the same values
 * (environment: {@code SU7_CALENDAR_FIRSTDAY}, {@code SU7_CALENDAR_FIRSTDAYSTARTSAT}, {@code SU7_CALENDAR_DAYLENGTH}).
 * Defaults: the launch day 2026-03-28, starting at midnight in Beijing, real days.
 */
@ConfigurationProperties("su7.calendar")
public record CalendarProperties(
        @DefaultValue("2026-03-28") LocalDate firstDay,
        @DefaultValue("2026-03-27T16:00:00Z") Instant firstDayStartsAt,
        @DefaultValue("1d") Duration dayLength) {

    public FactoryCalendar calendar() {
        return new FactoryCalendar(firstDay, firstDayStartsAt, dayLength);
    }
}
