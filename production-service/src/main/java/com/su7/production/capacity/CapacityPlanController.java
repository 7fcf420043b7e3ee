package com.su7.production.capacity;

import com.su7.production.shared.ProductionDays;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Ops read and change the plant's capacity plan. */
@RestController
@RequestMapping("/api/production/capacity-plan")
class CapacityPlanController {

    private static final int CHANGES_SHOWN = 20;

    private final CapacityPlanService service;
    private final CapacityPlans plans;
    private final ProductionDays days;

    CapacityPlanController(CapacityPlanService service, CapacityPlans plans, ProductionDays days) {
        this.service = service;
        this.plans = plans;
        this.days = days;
    }

    @GetMapping
    @Operation(summary = "The capacity plan: periods with units per day, today's capacity, the last changes (who, when, why)")
    PlanResponse plan() {
        return view(plans.current());
    }

    /** Replaces the plan from {@code from} on; the days before keep their capacity. */
    @PutMapping
    @Operation(summary = "Change the capacity plan from a date on; every queued ETA moves with it",
            description = "The days before `from` keep their capacity. Periods are contiguous, `[from, to)`, only the last "
                    + "open-ended. 400 problem details name each wrong field.")
    PlanResponse change(@Valid @RequestBody PlanChangeRequest request) {
        return view(service.replaceFrom(request.from(), request.capacityPeriods(), request.changedBy(), request.reason()));
    }

    /** What the same request to {@link #change} would do, without doing it. */
    @PostMapping("/preview")
    @Operation(summary = "What a capacity plan change would do to the queue's dates, without making it",
            description = "Takes the body of `PUT /api/production/capacity-plan` and answers how many queued preorders' ETAs "
                    + "would move earlier or later and by how many days (p50, p95, max; factory days are calendar days), "
                    + "how many would get a date or lose one (behind a plan that ends), and the plan as it would be. The change "
                    + "is made and rolled back, so the numbers are exactly what the PUT would do now; nothing is kept. "
                    + "Validation as the PUT's: 400 problem details.")
    PreviewResponse preview(@Valid @RequestBody PlanChangeRequest request) {
        CapacityPlanService.Preview preview = service.preview(request.from(), request.capacityPeriods(), request.changedBy(), request.reason());
        DateMoves moves = preview.moves();
        LocalDate today = days.today();
        return new PreviewResponse(moves.queued(), moves.movedEarlier(), moves.movedLater(), moves.unchanged(), moves.newlyEstimated(),
                moves.noLongerEstimated(), moves.daysEarlier(), moves.daysLater(),
                new ProposedPlan(today, preview.plan().capacityOn(today), preview.plan().periods().stream().map(Period::of).toList()));
    }

    private PlanResponse view(CapacityPlan plan) {
        LocalDate today = days.today();
        return new PlanResponse(today, plan.capacityOn(today), plan.periods().stream().map(Period::of).toList(),
                plans.latestChanges(CHANGES_SHOWN).stream().map(change -> new ChangeResponse(change.changedAt(), change.changedBy(),
                        change.reason(), change.effectiveFrom(), change.periods().stream().map(Period::of).toList(),
                        change.previous().stream().map(Period::of).toList())).toList());
    }

    record PlanChangeRequest(
            @NotNull LocalDate from,
            @NotEmpty @Size(max = 1000) List<@Valid @NotNull PeriodRequest> periods,
            @NotBlank @Size(max = 200) String changedBy,
            @NotBlank @Size(max = 2000) String reason) {

        List<CapacityPeriod> capacityPeriods() {
            return periods.stream().map(period -> new CapacityPeriod(period.from(), period.to(), period.unitsPerDay())).toList();
        }
    }

    /** {@code to} is exclusive; leave it out for an open-ended last period. */
    record PeriodRequest(@NotNull LocalDate from, LocalDate to, @NotNull Integer unitsPerDay) {
    }

    record Period(LocalDate from, LocalDate to, int unitsPerDay) {

        static Period of(CapacityPeriod period) {
            return new Period(period.from(), period.to(), period.unitsPerDay());
        }
    }

    record PlanResponse(LocalDate today, int capacityToday, List<Period> periods, List<ChangeResponse> changes) {
    }

    /** How the queued preorders' ETAs would move (see {@link DateMoves}), and the plan as it would be. */
    record PreviewResponse(long queued, long movedEarlier, long movedLater, long unchanged, long newlyEstimated, long noLongerEstimated,
                           DateMoves.DaysMoved daysEarlier, DateMoves.DaysMoved daysLater, ProposedPlan plan) {
    }

    record ProposedPlan(LocalDate today, int capacityToday, List<Period> periods) {
    }

    record ChangeResponse(Instant changedAt, String changedBy, String reason, LocalDate effectiveFrom,
                          List<Period> periods, List<Period> previous) {
    }
}
