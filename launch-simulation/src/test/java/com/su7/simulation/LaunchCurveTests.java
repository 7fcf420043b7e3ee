package com.su7.simulation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchCurveTests {

    @Test
    void seventyThousandOverTwentyEightDaysAddUpAndBurstOnDayOne() {
        int[] perDay = new LaunchCurve(70_000, 28, 3).perDay();
        assertThat(Arrays.stream(perDay).sum()).isEqualTo(70_000);
        assertThat(perDay[0]).isGreaterThan(perDay[1] * 2);
        for (int day = 1; day < perDay.length; day++) {
            assertThat(perDay[day]).as("day %d tails off", day).isLessThanOrEqualTo(perDay[day - 1]);
        }
        assertThat(perDay[27]).isPositive();
    }

    @Test
    void smallLaunchesStillAddUp() {
        assertThat(Arrays.stream(new LaunchCurve(7, 5, 2).perDay()).sum()).isEqualTo(7);
        assertThat(Arrays.stream(new LaunchCurve(0, 3, 2).perDay()).sum()).isZero();
    }

    @Test
    void refusesANonsenseLaunch() {
        assertThatThrownBy(() -> new LaunchCurve(10, 0, 2)).hasMessageContaining("days >= 1");
    }
}
