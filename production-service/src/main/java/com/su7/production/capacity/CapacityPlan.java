package com.su7.production.capacity;

import com.su7.security.FieldProblem;
import com.su7.security.InvalidRequestException;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Units per factory day, by date: periods that never overlap, the last possibly open-ended. A day no period
 * covers has no capacity.
 */
public final class CapacityPlan {

    /** A sanity bound on one day's output: far above any single plant, far below a typo's extra zeros. */
    static final int MAX_UNITS_PER_DAY = 100_000;

    private final List<CapacityPeriod> periods;

    public CapacityPlan(List<CapacityPeriod> periods) {
        this.periods = periods.stream().sorted(Comparator.comparing(CapacityPeriod::from)).toList();
    }

    public List<CapacityPeriod> periods() {
        return periods;
    }

    public int capacityOn(LocalDate date) {
        return periods.stream().filter(period -> period.contains(date)).mapToInt(CapacityPeriod::unitsPerDay).findFirst().orElse(0);
    }

    /** The periods in force from the date on, the one spanning it cut to start there. */
    public List<CapacityPeriod> from(LocalDate date) {
        List<CapacityPeriod> result = new ArrayList<>();
        for (CapacityPeriod period : periods) {
            if (period.to() != null && !period.to().isAfter(date)) {
                continue;
            }
            result.add(period.from().isBefore(date) ? new CapacityPeriod(date, period.to(), period.unitsPerDay()) : period);
        }
        return result;
    }

    /**
     * This plan up to {@code from}, the replacement from then on.
     *
     * @param earliest the first day that may still change (earlier days are built)
     * @throws InvalidRequestException naming every field that is wrong
     */
    public CapacityPlan replaceFrom(LocalDate from, List<CapacityPeriod> replacement, LocalDate earliest) {
        List<FieldProblem> violations = new ArrayList<>();
        if (from.isBefore(earliest)) {
            violations.add(new FieldProblem("from",
                    "must not be before %s: the factory days before it are already built".formatted(earliest)));
        }
        if (replacement.isEmpty()) {
            violations.add(new FieldProblem("periods", "must list at least one period"));
        }
        for (int i = 0; i < replacement.size(); i++) {
            CapacityPeriod period = replacement.get(i);
            String field = "periods[%d]".formatted(i);
            if (period.unitsPerDay() < 0) {
                violations.add(new FieldProblem(field + ".unitsPerDay",
                        "must not be negative, was %d".formatted(period.unitsPerDay())));
            } else if (period.unitsPerDay() > MAX_UNITS_PER_DAY) {
                violations.add(new FieldProblem(field + ".unitsPerDay",
                        "must be at most %d, was %d".formatted(MAX_UNITS_PER_DAY, period.unitsPerDay())));
            }
            if (period.to() != null && !period.to().isAfter(period.from())) {
                violations.add(new FieldProblem(field + ".to",
                        "must be after from (%s), was %s".formatted(period.from(), period.to())));
            }
            if (i == 0 && !period.from().equals(from)) {
                violations.add(new FieldProblem(field + ".from",
                        "must be %s, the date the change takes effect, was %s".formatted(from, period.from())));
            }
            if (i > 0) {
                CapacityPeriod previous = replacement.get(i - 1);
                if (previous.to() == null) {
                    violations.add(new FieldProblem("periods[%d].to".formatted(i - 1),
                            "only the last period may be open-ended"));
                } else if (period.from().isBefore(previous.to())) {
                    violations.add(new FieldProblem(field + ".from",
                            "overlaps periods[%d], which ends %s (exclusive), was %s".formatted(i - 1, previous.to(), period.from())));
                } else if (period.from().isAfter(previous.to())) {
                    violations.add(new FieldProblem(field + ".from",
                            "leaves %s to %s without a period after periods[%d]; state a period of 0 units per day for a pause"
                                    .formatted(previous.to(), period.from().minusDays(1), i - 1)));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        List<CapacityPeriod> merged = new ArrayList<>();
        for (CapacityPeriod period : periods) {
            if (!period.from().isBefore(from)) {
                continue;
            }
            merged.add(period.to() == null || period.to().isAfter(from)
                    ? new CapacityPeriod(period.from(), from, period.unitsPerDay()) : period);
        }
        merged.addAll(replacement);
        return new CapacityPlan(merged);
    }
}
