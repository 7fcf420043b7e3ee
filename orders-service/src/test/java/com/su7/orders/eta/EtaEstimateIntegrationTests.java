package com.su7.orders.eta;

import com.su7.orders.OrdersIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The estimate's formula, where it lives: the SQL functions of {@code R__eta_estimate.sql}. */
@OrdersIntegrationTest
class EtaEstimateIntegrationTests {

    private static final LocalDate TODAY = LocalDate.parse("2026-05-10");
    private static final double BAND = 0.2;
    private static final int HORIZON = 3650;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void spansTheBuildDaysAtTheRatePlusAndMinusTheBandPlusTransit() {
        // 100th in line at 10 a day: 100/12 = 8.3 -> 8 days at the fastest, 100/8 = 12.5 -> 13 at the slowest.
        assertThat(estimate(100, 10, BAND, 2)).isEqualTo(new Eta(TODAY.plusDays(8 + 2), TODAY.plusDays(13 + 2)));
    }

    @Test
    void theNextInLineOfAFastLineMayBeBuiltToday() {
        assertThat(estimate(1, 100, BAND, 1)).isEqualTo(new Eta(TODAY.plusDays(1), TODAY.plusDays(2)));
    }

    @Test
    void aFasterRateGivesAnEarlierEstimate() {
        Eta slow = estimate(500, 20, BAND, 3);
        Eta fast = estimate(500, 50, BAND, 3);

        assertThat(fast.earliest()).isBefore(slow.earliest());
        assertThat(fast.latest()).isBefore(slow.latest());
    }

    @Test
    void anExactRateWithNoBandIsOneDay() {
        assertThat(estimate(30, 10, 0, 0)).isEqualTo(Eta.on(TODAY.plusDays(3)));
    }

    @Test
    void noEstimateReachesPastTheHorizon() {
        assertThat(estimate(1_000_000, 0.5, BAND, 2)).isEqualTo(Eta.on(TODAY.plusDays(HORIZON + 2)));
    }

    @Test
    void refusesARateOfZero() {
        assertThatThrownBy(() -> estimate(1, 0, BAND, 1)).hasMessageContaining("division by zero");
    }

    private Eta estimate(long place, double unitsPerDay, double band, int transitDays) {
        return jdbc.queryForObject("select estimate_earliest(?, ?, ?, ?, ?, ?), estimate_latest(?, ?, ?, ?, ?, ?)",
                (rs, row) -> new Eta(rs.getObject(1, LocalDate.class), rs.getObject(2, LocalDate.class)),
                place, unitsPerDay, band, HORIZON, TODAY, transitDays, place, unitsPerDay, band, HORIZON, TODAY, transitDays);
    }
}
