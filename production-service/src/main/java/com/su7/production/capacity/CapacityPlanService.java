package com.su7.production.capacity;

import com.su7.production.shared.ProductionDays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Ops change the plan from a date on; every queued ETA moves with it, in the same transaction. */
@Service
class CapacityPlanService {

    private static final Logger log = LoggerFactory.getLogger(CapacityPlanService.class);

    private final CapacityPlans plans;
    private final ProductionDays days;
    private final ApplicationEventPublisher events;

    CapacityPlanService(CapacityPlans plans, ProductionDays days, ApplicationEventPublisher events) {
        this.plans = plans;
        this.days = days;
        this.events = events;
    }

    @Transactional
    CapacityPlan replaceFrom(LocalDate from, List<CapacityPeriod> periods, String changedBy, String reason) {
        days.lock();
        CapacityPlan current = plans.current();
        CapacityPlan changed = current.replaceFrom(from, periods, earliestChangeableDay());
        plans.replaceFrom(from, changed);
        plans.recordChange(new CapacityPlans.PlanChange(days.now().truncatedTo(ChronoUnit.MILLIS), changedBy, reason, from,
                changed.from(from), current.from(from)));
        log.info("capacity plan changed from {} by {}: {} ({})", from, changedBy, changed.from(from), reason);
        events.publishEvent(new CapacityPlanChanged(from, changedBy));
        return changed;
    }

    /** Today may still change (the lines build a day when it ends); a day already built may not. */
    private LocalDate earliestChangeableDay() {
        LocalDate today = days.today();
        LocalDate afterLastBuilt = days.lastBuiltDate().map(date -> date.plusDays(1)).orElse(today);
        return afterLastBuilt.isAfter(today) ? afterLastBuilt : today;
    }
}
