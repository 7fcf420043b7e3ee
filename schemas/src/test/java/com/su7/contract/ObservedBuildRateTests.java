package com.su7.contract;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ObservedBuildRateTests {

    private static final Instant NOW = Instant.parse("2026-05-10T04:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void theRateIsUnitsPerObservedFactoryDay() {
        ObservedBuildRate threeDays = ObservedBuildRate.of(90, NOW.minus(Duration.ofDays(3)), NOW, 7, DAY);

        assertThat(threeDays.unitsPerDay()).isCloseTo(30, within(1e-9));
        assertThat(threeDays.coversAFactoryDay()).isTrue();
    }

    @Test
    void onlyTheWindowCountsOnceProductionIsOlderThanIt() {
        assertThat(ObservedBuildRate.of(700, NOW.minus(Duration.ofDays(30)), NOW, 7, DAY).unitsPerDay()).isCloseTo(100, within(1e-9));
    }

    @Test
    void theFirstBuildsCountOverAtLeastADayAndDoNotYetCoverOne() {
        ObservedBuildRate firstHours = ObservedBuildRate.of(50, NOW.minusSeconds(60), NOW, 7, DAY);

        assertThat(firstHours.unitsPerDay()).isEqualTo(50);
        assertThat(firstHours.coversAFactoryDay()).isFalse();
    }

    @Test
    void withoutBuildsTheRateIsZero() {
        ObservedBuildRate none = ObservedBuildRate.of(0, null, NOW, 7, DAY);

        assertThat(none.unitsPerDay()).isZero();
        assertThat(none.coversAFactoryDay()).isFalse();
        assertThat(ObservedBuildRate.of(0, NOW.minus(Duration.ofDays(20)), NOW, 7, DAY).unitsPerDay()).as("a stalled line").isZero();
    }

    @Test
    void shortFactoryDaysCountTheSameWay() {
        Duration second = Duration.ofSeconds(1);

        assertThat(ObservedBuildRate.of(20, NOW.minus(Duration.ofSeconds(2)), NOW, 7, second).unitsPerDay()).isCloseTo(10, within(1e-9));
    }

    @Test
    void theWindowEndsWhereEveryPartitionIsReadOrNowIfSooner() {
        Instant readUpTo = NOW.minus(Duration.ofDays(3));

        assertThat(ObservedBuildRate.windowEndWhereEveryPartitionIsRead(NOW, readUpTo)).isEqualTo(readUpTo);
        assertThat(ObservedBuildRate.windowEndWhereEveryPartitionIsRead(NOW, NOW.plusSeconds(5))).isEqualTo(NOW);
        assertThat(ObservedBuildRate.windowEndWhereEveryPartitionIsRead(NOW, null)).isEqualTo(NOW);
        assertThat(ObservedBuildRate.windowStart(NOW, 7, DAY)).isEqualTo(NOW.minus(Duration.ofDays(7)));
    }
}
