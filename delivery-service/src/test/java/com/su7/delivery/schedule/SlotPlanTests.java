package com.su7.delivery.schedule;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotPlanTests {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 10);

    @Test
    void theFirstFreeDaySkipsFullDays() {
        SlotPlan plan = new SlotPlan(2, Map.of(DAY, 2, DAY.plusDays(1), 2, DAY.plusDays(2), 1));

        assertThat(plan.firstFree(DAY)).isEqualTo(DAY.plusDays(2));
        assertThat(plan.firstFree(DAY.plusDays(3))).isEqualTo(DAY.plusDays(3));
    }

    @Test
    void bookingTakesTheFirstFreeDayAndFillsItUpOneByOne() {
        SlotPlan plan = new SlotPlan(2, Map.of(DAY, 2, DAY.plusDays(1), 1));

        assertThat(plan.book(DAY)).isEqualTo(DAY.plusDays(1));
        assertThat(plan.book(DAY)).as("the day after is full now").isEqualTo(DAY.plusDays(2));
        assertThat(plan.book(DAY.plusDays(2))).isEqualTo(DAY.plusDays(2));
        assertThat(plan.changedLoads()).containsOnly(Map.entry(DAY.plusDays(1), 2), Map.entry(DAY.plusDays(2), 2));
    }

    @Test
    void rebookingMovesToAnEarlierFreeDayAndFreesTheOldSlot() {
        SlotPlan plan = new SlotPlan(3, Map.of(DAY, 2, DAY.plusDays(1), 3, DAY.plusDays(2), 1));

        LocalDate moved = plan.rebook(DAY.plusDays(2), DAY);

        assertThat(moved).isEqualTo(DAY);
        assertThat(plan.loadOn(DAY)).isEqualTo(3);
        assertThat(plan.loadOn(DAY.plusDays(2))).isZero();
        assertThat(plan.changedLoads()).containsOnly(Map.entry(DAY, 3), Map.entry(DAY.plusDays(2), 0));
    }

    @Test
    void rebookingNeverMovesLaterAndNeverBeforeTheEarliestDay() {
        SlotPlan plan = new SlotPlan(1, Map.of(DAY, 1, DAY.plusDays(1), 1, DAY.plusDays(2), 1));

        assertThat(plan.rebook(DAY.plusDays(2), DAY)).as("no earlier slot: it keeps its own").isEqualTo(DAY.plusDays(2));
        assertThat(plan.rebook(DAY.plusDays(2), DAY.plusDays(2))).isEqualTo(DAY.plusDays(2));
        assertThatThrownBy(() -> plan.rebook(DAY, DAY.plusDays(1))).hasMessageContaining("cannot have its earliest day later");
    }

    @Test
    void releasingFreesTheDaysSlotAndNeverGoesBelowNone() {
        SlotPlan plan = new SlotPlan(1, Map.of(DAY, 1));

        plan.release(DAY);

        assertThat(plan.firstFree(DAY)).isEqualTo(DAY);
        assertThat(plan.changedLoads()).containsOnly(Map.entry(DAY, 0));
        assertThatThrownBy(() -> plan.release(DAY)).hasMessageContaining("no hand-over is booked");
    }

    @Test
    void aDayOverACapacityThatWasLoweredCountsAsFull() {
        SlotPlan plan = new SlotPlan(2, Map.of(DAY, 5));

        assertThat(plan.firstFree(DAY)).isEqualTo(DAY.plusDays(1));
    }

    @Test
    void refusesAPlanWithoutCapacityOrABookingThatDoesNotExist() {
        assertThatThrownBy(() -> new SlotPlan(0, Map.of())).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new SlotPlan(1, Map.of()).rebook(DAY, DAY)).hasMessageContaining("no hand-over is booked");
    }
}
