package com.su7.orders.eta;

import com.su7.contract.ObservedBuildRate;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EtaPropertiesTests {

    // 150 a day assumed, a 7-day window, ±20% band, at least half a unit a day
    private final EtaProperties properties = new EtaProperties(150, 7, 0.2, 0.5, 3650, Duration.ofSeconds(5), 1, 0.05, true);

    @Test
    void theAssumedRateMustBeAboveZero() {
        assertThatThrownBy(() -> new EtaProperties(0, 7, 0.2, 0.5, 3650, Duration.ofSeconds(5), 1, 0.05, true))
                .hasMessageContaining("orders.eta.assumed-daily-rate must be a rate above zero, not 0.0");
    }

    @Test
    void theBandMustLeaveARateAboveZero() {
        assertThatThrownBy(() -> new EtaProperties(1, 7, 1.0, 0.5, 3650, Duration.ofSeconds(5), 1, 0.05, true))
                .hasMessageContaining("rate-band must be at least 0 and below 1, not 1.0");
    }

    @Test
    void theThresholdShareIsAShareOfTheWait() {
        assertThatThrownBy(() -> new EtaProperties(1, 7, 0.2, 0.5, 3650, Duration.ofSeconds(5), 1, 1.0, true))
                .hasMessageContaining("orders.eta.change-threshold-share must be at least 0 and below 1, not 1.0");
    }

    @Test
    void withoutBuildsTheRateIsTheAssumedOne() {
        assertThat(properties.unitsPerDay(new ObservedBuildRate(0, 0))).isEqualTo(150);
    }

    @Test
    void lessThanAFactoryDayOfBuildsIsNotEnoughToObserveARate() {
        assertThat(properties.unitsPerDay(new ObservedBuildRate(40, 5 / 24.0))).isEqualTo(150);
    }

    @Test
    void aFullDayOfBuildsGivesTheObservedRate() {
        assertThat(properties.unitsPerDay(new ObservedBuildRate(90, 3))).isCloseTo(30, within(1e-9));
    }

    @Test
    void aStalledLineStillGivesADate() {
        assertThat(properties.unitsPerDay(new ObservedBuildRate(0, 7))).isEqualTo(0.5);
    }
}
