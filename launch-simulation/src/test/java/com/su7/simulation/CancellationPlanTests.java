package com.su7.simulation;

import com.su7.events.CancellationReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CancellationPlanTests {

    private static final Duration WINDOW = Duration.ofSeconds(7);

    @Test
    void cancelsAboutTheShareAskedForInTheFirstHalfOfTheRefundWindowForEveryReason() {
        CancellationPlan plan = new CancellationPlan(0.02, WINDOW);
        Random random = new Random(1);
        List<CancellationPlan.Cancellation> cancellations = new ArrayList<>();
        for (int customer = 0; customer < 100_000; customer++) {
            plan.decide(random).ifPresent(cancellations::add);
        }

        assertThat(cancellations).hasSizeBetween(1_800, 2_200);
        assertThat(cancellations).allSatisfy(cancellation -> assertThat(cancellation.afterPlacement())
                .isBetween(Duration.ZERO, WINDOW.dividedBy(2)));
        Map<CancellationReason, Integer> byReason = new EnumMap<>(CancellationReason.class);
        cancellations.forEach(cancellation -> byReason.merge(cancellation.reason(), 1, Integer::sum));
        assertThat(byReason).containsOnlyKeys(CancellationReason.values());
        assertThat(byReason.get(CancellationReason.CHANGED_MIND)).isGreaterThan(byReason.get(CancellationReason.FINANCING));
        assertThat(byReason.get(CancellationReason.FINANCING)).isGreaterThan(byReason.get(CancellationReason.OTHER));
    }

    @Test
    void aShareOfNothingCancelsNothing() {
        CancellationPlan plan = new CancellationPlan(0, WINDOW);
        Random random = new Random(1);

        for (int customer = 0; customer < 10_000; customer++) {
            assertThat(plan.decide(random)).isEmpty();
        }
    }

    @Test
    void refusesAShareOutsideZeroToOne() {
        assertThatThrownBy(() -> new CancellationPlan(1.5, WINDOW)).hasMessageContaining("--cancel-share");
    }
}
