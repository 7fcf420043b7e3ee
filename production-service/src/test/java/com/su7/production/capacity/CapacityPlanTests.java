package com.su7.production.capacity;

import com.su7.security.FieldProblem;
import com.su7.security.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CapacityPlanTests {

    static final LocalDate D = LocalDate.of(2026, 4, 1);

    final CapacityPlan ramp = new CapacityPlan(List.of(
            new CapacityPeriod(D, D.plusDays(10), 300),
            new CapacityPeriod(D.plusDays(10), null, 600)));

    @Test
    void givesEachDayTheCapacityOfItsPeriodAndNoneOutsideThem() {
        assertThat(ramp.capacityOn(D)).isEqualTo(300);
        assertThat(ramp.capacityOn(D.plusDays(9))).isEqualTo(300);
        assertThat(ramp.capacityOn(D.plusDays(10))).isEqualTo(600);
        assertThat(ramp.capacityOn(D.plusYears(3))).isEqualTo(600);
        assertThat(ramp.capacityOn(D.minusDays(1))).isZero();
    }

    @Test
    void replacesThePlanFromADateOnKeepingTheDaysBefore() {
        CapacityPlan changed = ramp.replaceFrom(D.plusDays(5), List.of(
                new CapacityPeriod(D.plusDays(5), D.plusDays(7), 0),
                new CapacityPeriod(D.plusDays(7), null, 900)), D);
        assertThat(changed.periods()).containsExactly(
                new CapacityPeriod(D, D.plusDays(5), 300),
                new CapacityPeriod(D.plusDays(5), D.plusDays(7), 0),
                new CapacityPeriod(D.plusDays(7), null, 900));
        assertThat(changed.from(D.plusDays(6))).first().isEqualTo(new CapacityPeriod(D.plusDays(6), D.plusDays(7), 0));
    }

    @Test
    void refusesNegativeCapacityOverlapsGapsAndThePastNamingEachField() {
        InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class, () -> ramp.replaceFrom(D.plusDays(1), List.of(
                new CapacityPeriod(D.plusDays(2), D.plusDays(5), -1),
                new CapacityPeriod(D.plusDays(4), D.plusDays(6), 10),
                new CapacityPeriod(D.plusDays(8), null, 10),
                new CapacityPeriod(D.plusDays(9), null, 10)), D.plusDays(3)));
        assertThat(refused.errors()).extracting(FieldProblem::field).containsExactly(
                "from", "periods[0].unitsPerDay", "periods[0].from", "periods[1].from", "periods[2].from", "periods[2].to");
        assertThat(refused.errors().get(3).message()).contains("overlaps periods[0]");
        assertThat(refused.errors().get(4).message()).contains("leaves 2026-04-07 to 2026-04-08 without a period");
        assertThat(refused.getBody().getStatus()).isEqualTo(400);
        assertThat(refused.getBody().getProperties()).containsKey("errors");
    }

    @Test
    void refusesAnEmptyPlanAndAnEndBeforeItsStart() {
        assertThat(catchThrowableOfType(InvalidRequestException.class, () -> ramp.replaceFrom(D, List.of(), D)).errors())
                .extracting(FieldProblem::field).containsExactly("periods");
        assertThat(catchThrowableOfType(InvalidRequestException.class,
                () -> ramp.replaceFrom(D, List.of(new CapacityPeriod(D, D, 5)), D)).errors())
                .extracting(FieldProblem::field).containsExactly("periods[0].to");
    }
}
