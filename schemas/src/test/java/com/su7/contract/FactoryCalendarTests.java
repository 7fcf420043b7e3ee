package com.su7.contract;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FactoryCalendarTests {

    private final FactoryCalendar demo = new FactoryCalendar(LocalDate.of(2026, 3, 28),
            Instant.parse("2026-11-24T12:00:00Z"), Duration.ofSeconds(1));

    @Test
    void aShortFactoryDayPassesADatePerDayLength() {
        assertThat(demo.dateOf(Instant.parse("2026-11-24T12:00:00.999Z"))).isEqualTo(LocalDate.of(2026, 3, 28));
        assertThat(demo.dateOf(Instant.parse("2026-11-24T12:00:01Z"))).isEqualTo(LocalDate.of(2026, 3, 29));
        assertThat(demo.dateOf(Instant.parse("2026-11-24T12:01:00Z"))).isEqualTo(LocalDate.of(2026, 5, 27));
    }

    @Test
    void startOfIsTheInverseOfDateOf() {
        LocalDate date = LocalDate.of(2026, 6, 1);
        assertThat(demo.dateOf(demo.startOf(date))).isEqualTo(date);
        assertThat(demo.dateOf(demo.startOf(date).minusNanos(1))).isEqualTo(date.minusDays(1));
    }

    @Test
    void instantsBeforeTheFirstDayBelongToIt() {
        assertThat(demo.dateOf(Instant.parse("2020-01-01T00:00:00Z"))).isEqualTo(LocalDate.of(2026, 3, 28));
    }

    @Test
    void refusesADayThatNeverEnds() {
        assertThatThrownBy(() -> new FactoryCalendar(LocalDate.now(), Instant.now(), Duration.ZERO))
                .hasMessageContaining("longer than zero");
    }
}
