package com.su7.delivery.outlook;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtaEstimateTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 10);

    @Test
    void theNextUnitToBuildIsBuiltTodayAndHandedOverAfterTransit() {
        EtaEstimate eta = EtaEstimate.of(TODAY, new BuildRate(100), 0, 0, 2, 10, Map.of());

        assertThat(eta.estimatedBuildDate()).isEqualTo(TODAY);
        assertThat(eta.deliveryDate()).isEqualTo(TODAY.plusDays(2));
    }

    @Test
    void unitsAheadInTheQueueDelayTheBuildAtTheObservedRate() {
        // 250 ahead at 100 a day: built on the third day
        EtaEstimate eta = EtaEstimate.of(TODAY, new BuildRate(100), 250, 0, 1, 10, Map.of());

        assertThat(eta.estimatedBuildDate()).isEqualTo(TODAY.plusDays(2));
        assertThat(eta.deliveryDate()).isEqualTo(TODAY.plusDays(3));
    }

    @Test
    void aFullCentreAndEarlierPreordersForItPushTheHandOverLater() {
        Map<LocalDate, Integer> booked = Map.of(TODAY.plusDays(2), 2, TODAY.plusDays(3), 1);

        // capacity 2: day +2 full, day +3 has one slot which the one earlier preorder takes
        EtaEstimate eta = EtaEstimate.of(TODAY, new BuildRate(1000), 0, 1, 2, 2, booked);

        assertThat(eta.deliveryDate()).isEqualTo(TODAY.plusDays(4));
    }

    @Test
    void needsAnObservedRate() {
        assertThatThrownBy(() -> EtaEstimate.of(TODAY, new BuildRate(0), 0, 0, 1, 1, Map.of()))
                .hasMessageContaining("observed build rate");
    }
}
