package com.su7.production.capacity;

import com.su7.production.shared.ProductionDays;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import io.swagger.v3.oas.annotations.Operation;
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
    PlanResponse plan() {
        return view(plans.current());
    }

    /** Replaces the plan from {@code from} on; the days before keep their capacity. */
    @PutMapping
    PlanResponse change(@Valid @RequestBody PlanChangeRequest request) {
        return view(service.replaceFrom(request.from(), periods(request), request.changedBy(), request.reason()));
    }

    @Operation(summary = "What a plan change would do, without making it",
            description = "The same body as PUT. Rehearses the change (in a transaction rolled back at its end) and answers how "
                    + "the queued preorders' projected build dates, and with them their ETAs, would move: how many earlier and "
                    + "later, by how many factory days (p50, p95, max), how many newly estimated or no longer estimated, and the "
                    + "plan as it would be. Nothing changes and no event is published. 400 for what PUT would refuse.")
    @PostMapping("/preview")
    PlanPreview preview(@Valid @RequestBody PlanChangeRequest request) {
        CapacityPlanService.Preview preview = service.preview(request.from(), periods(request), request.changedBy(), request.reason());
        QueueShift shift = preview.shift();
        return new PlanPreview(shift.queued(), shift.movedEarlier(), shift.daysEarlier(), shift.movedLater(), shift.daysLater(),
                shift.unchanged(), shift.newlyEstimated(), shift.noLongerEstimated(), preview.plan().periods().stream().map(Period::of).toList());
    }

    /** @param periods the plan as it would be */
    record PlanPreview(long queued, long movedEarlier, QueueShift.Days daysEarlier, long movedLater, QueueShift.Days daysLater,
                       long unchanged, long newlyEstimated, long noLongerEstimated, List<Period> periods) {
    }

    private static List<CapacityPeriod> periods(PlanChangeRequest request) {
        return request.periods().stream().map(period -> new CapacityPeriod(period.from(), period.to(), period.unitsPerDay())).toList();
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

    record ChangeResponse(Instant changedAt, String changedBy, String reason, LocalDate effectiveFrom,
                          List<Period> periods, List<Period> previous) {
    }
}
