package com.su7.production.summary;

import com.su7.events.Variant;
import com.su7.production.capacity.CapacityPlan;
import com.su7.production.capacity.CapacityPlans;
import com.su7.production.queue.ProductionQueue;
import com.su7.production.queue.SpareUnits;
import com.su7.production.shared.ProductionDays;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What ops look at: the queue by variant, what was placed and built lately, and what the plan says next. */
@RestController
class SummaryController {

    private final ProductionQueue queue;
    private final SpareUnits spares;
    private final CapacityPlans plans;
    private final ProductionDays days;

    SummaryController(ProductionQueue queue, SpareUnits spares, CapacityPlans plans, ProductionDays days) {
        this.queue = queue;
        this.spares = spares;
        this.plans = plans;
        this.days = days;
    }

    /** @param days how many factory days back (placed, built) and ahead (plan) to show */
    @GetMapping("/api/production/summary")
    @Operation(summary = "The queue by variant, spare units, preorders placed and units built per factory day for the last "
            + "`days` ended days, and the plan for the next `days` days with the units the queue would use of it")
    Summary summary(@RequestParam(name = "days", defaultValue = "7") @Min(1) @Max(90) int days) {
        LocalDate today = this.days.today();
        CapacityPlan plan = plans.current();
        Map<Variant, Long> byVariant = queue.lengthByVariant();
        long queued = byVariant.values().stream().mapToLong(Long::longValue).sum();

        LocalDate lastEnded = today.minusDays(1);
        LocalDate firstShown = lastEnded.minusDays(days - 1L);
        List<BuiltDay> built = queue.builtPerDay(firstShown, lastEnded).entrySet().stream()
                .map(entry -> new BuiltDay(entry.getKey(), plan.capacityOn(entry.getKey()), entry.getValue())).toList();
        List<PlacedDay> placed = queue.placedPerDay(firstShown, lastEnded).entrySet().stream()
                .map(entry -> new PlacedDay(entry.getKey(), entry.getValue())).toList();

        List<PlannedDay> next = new ArrayList<>(days);
        long waiting = queued;
        LocalDate day = this.days.firstOpenDay();
        for (int i = 0; i < days; i++, day = day.plusDays(1)) {
            int capacity = plan.capacityOn(day);
            long projected = Math.min(capacity, waiting);
            waiting -= projected;
            next.add(new PlannedDay(day, capacity, projected));
        }
        return new Summary(today, this.days.linesEnabled(), this.days.lastBuiltDate().orElse(null), queued, byVariant,
                spares.countByVariant(), placed, built, next);
    }

    /**
     * @param lastBuiltDate the last factory day the simulated lines built
     * @param queueLength   preorders queued, all variants (one first-come-first-served queue); cancelled ones are not
     * @param spareUnits    built units of cancelled preorders waiting for the next preorder of their variant
     */
    record Summary(LocalDate today, boolean linesEnabled, LocalDate lastBuiltDate, long queueLength,
                   Map<Variant, Long> queueLengthByVariant, Map<Variant, Long> spareUnits, List<PlacedDay> placedPerDay,
                   List<BuiltDay> builtPerDay, List<PlannedDay> plan) {
    }

    /** @param placed preorders placed that factory day, whatever became of them since (cancelled ones too) */
    record PlacedDay(LocalDate date, long placed) {
    }

    /** @param built units built that day, wherever they went (a cancelled preorder's unit counts once) */
    record BuiltDay(LocalDate date, int capacity, long built) {
    }

    /** @param projectedUnits what the queue as it stands would use of the day's capacity */
    record PlannedDay(LocalDate date, int capacity, long projectedUnits) {
    }
}
