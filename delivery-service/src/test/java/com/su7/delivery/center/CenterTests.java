package com.su7.delivery.center;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class CenterTests {

    private final Center shanghai = new Center("Shanghai", "Shanghai Delivery Center", 2, 220, Instant.EPOCH);

    @Test
    void theEarliestHandOverIsTheBuildDatePlusTransit() {
        LocalDate built = LocalDate.of(2026, 6, 10);

        assertThat(shanghai.earliestHandOver(built, built)).isEqualTo(LocalDate.of(2026, 6, 12));
    }

    @Test
    void theEarliestHandOverIsNeverBeforeToday() {
        LocalDate today = LocalDate.of(2026, 6, 20);

        assertThat(shanghai.earliestHandOver(LocalDate.of(2026, 6, 10), today)).isEqualTo(today);
    }
}
