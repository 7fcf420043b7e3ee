package com.su7.orders.eta;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EtaEstimatorTests {

    private static final LocalDate TODAY = LocalDate.parse("2026-05-10");
    private static final Instant NOW = Instant.parse("2026-05-10T04:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    // ±20% band, 10-year horizon, 7-day window, at least half a unit a day
    private final EtaEstimator estimator = new EtaEstimator(0.2, 3650, 7, 0.5);

    @Test
    void spansTheBuildDaysAtTheRatePlusAndMinusTheBandPlusTransit() {
        // 100th in line at 10 a day: 100/12 = 8.3 -> 8 days at the fastest, 100/8 = 12.5 -> 13 at the slowest.
        Eta eta = estimator.estimate(100, 10, TODAY, 2);

        assertThat(eta).isEqualTo(new Eta(TODAY.plusDays(8 + 2), TODAY.plusDays(13 + 2)));
    }

    @Test
    void theNextInLineOfAFastLineMayBeBuiltToday() {
        Eta eta = estimator.estimate(1, 100, TODAY, 1);

        assertThat(eta.earliest()).isEqualTo(TODAY.plusDays(1));
        assertThat(eta.latest()).isEqualTo(TODAY.plusDays(2));
    }

    @Test
    void aFasterRateGivesAnEarlierEstimate() {
        Eta slow = estimator.estimate(500, 20, TODAY, 3);
        Eta fast = estimator.estimate(500, 50, TODAY, 3);

        assertThat(fast.earliest()).isBefore(slow.earliest());
        assertThat(fast.latest()).isBefore(slow.latest());
    }

    @Test
    void anExactRateWithNoBandIsOneDay() {
        EtaEstimator exact = new EtaEstimator(0, 3650, 7, 0.5);

        assertThat(exact.estimate(30, 10, TODAY, 0)).isEqualTo(Eta.on(TODAY.plusDays(3)));
    }

    @Test
    void noEstimateReachesPastTheHorizon() {
        Eta eta = estimator.estimate(1_000_000, 0.5, TODAY, 2);

        assertThat(eta).isEqualTo(Eta.on(TODAY.plusDays(3650 + 2)));
    }

    @Test
    void refusesAPlaceBeforeTheFirstAndARateOfZero() {
        assertThatThrownBy(() -> estimator.estimate(0, 10, TODAY, 1)).hasMessageContaining("starts at 1, not 0");
        assertThatThrownBy(() -> estimator.estimate(1, 0, TODAY, 1)).hasMessageContaining("above zero, not 0.0");
    }

    @Test
    void withAnEmptyHistoryTheRateIsTheAssumedOne() {
        assertThat(estimator.unitsPerDay(BuildHistory.NONE, NOW, DAY, 150)).isEqualTo(150);
    }

    @Test
    void aVariantWithNoBuildsYetKeepsItsAssumedRateWhileOthersAreBuilt() {
        // Other variants' builds are not in this variant's history: it has none.
        BuildHistory noneOfThisVariant = new BuildHistory(0, null);

        assertThat(estimator.unitsPerDay(noneOfThisVariant, NOW, DAY, 50)).isEqualTo(50);
    }

    @Test
    void lessThanAFactoryDayOfBuildsIsNotEnoughToObserveARate() {
        BuildHistory firstHours = new BuildHistory(40, NOW.minus(Duration.ofHours(5)));

        assertThat(estimator.unitsPerDay(firstHours, NOW, DAY, 100)).isEqualTo(100);
    }

    @Test
    void theObservedRateIsUnitsPerObservedFactoryDay() {
        BuildHistory threeDays = new BuildHistory(90, NOW.minus(Duration.ofDays(3)));

        assertThat(estimator.unitsPerDay(threeDays, NOW, DAY, 1)).isCloseTo(30, within(1e-9));
    }

    @Test
    void theObservedRateCountsOnlyTheWindowOnceProductionIsOlderThanIt() {
        BuildHistory aMonth = new BuildHistory(700, NOW.minus(Duration.ofDays(30)));

        assertThat(estimator.unitsPerDay(aMonth, NOW, DAY, 1)).isCloseTo(100, within(1e-9));
    }

    @Test
    void shortFactoryDaysCountTheSameWay() {
        Duration second = Duration.ofSeconds(1);
        BuildHistory twoSeconds = new BuildHistory(20, NOW.minus(Duration.ofSeconds(2)));

        assertThat(estimator.unitsPerDay(twoSeconds, NOW, second, 1)).isCloseTo(10, within(1e-9));
    }

    @Test
    void aStalledLineStillGivesADate() {
        BuildHistory stalled = new BuildHistory(0, NOW.minus(Duration.ofDays(20)));

        assertThat(estimator.unitsPerDay(stalled, NOW, DAY, 100)).isEqualTo(0.5);
    }

    @Test
    void theWindowStartsRateWindowDaysBeforeNow() {
        assertThat(estimator.windowStart(NOW, DAY)).isEqualTo(NOW.minus(Duration.ofDays(7)));
    }
}
