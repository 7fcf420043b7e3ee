package com.su7.simulation;

import java.util.Arrays;

/**
 * How many preorders arrive on each day of a launch: a burst on day one that tails off, as the SU7 launch did
 * (a large share in the first hours, then a slowly decaying stream). Counts add up to the total exactly.
 *
 * @param total     preorders over the whole launch
 * @param days      how many days the launch lasts
 * @param halfLife  after how many days the daily arrivals have halved
 */
record LaunchCurve(int total, int days, double halfLife) {

    LaunchCurve {
        if (total < 0 || days < 1 || halfLife <= 0) {
            throw new IllegalArgumentException("a launch needs total >= 0, days >= 1, halfLife > 0; got %d, %d, %s"
                    .formatted(total, days, halfLife));
        }
    }

    int[] perDay() {
        double[] weights = new double[days];
        for (int day = 0; day < days; day++) {
            // Exponential tail plus a floor: interest never quite stops during the launch window.
            weights[day] = Math.pow(0.5, day / halfLife) + 0.03;
        }
        weights[0] *= 2.5; // launch day: the burst
        double sum = Arrays.stream(weights).sum();
        int[] counts = new int[days];
        int assigned = 0;
        for (int day = 0; day < days; day++) {
            counts[day] = (int) Math.floor(total * weights[day] / sum);
            assigned += counts[day];
        }
        // Rounding leftovers go to the launch day.
        counts[0] += total - assigned;
        return counts;
    }
}
