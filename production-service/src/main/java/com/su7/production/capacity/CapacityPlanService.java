package com.su7.production.capacity;

import com.su7.production.shared.ProductionDays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

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
    private final QueueShift.Meter queueShift;

    CapacityPlanService(CapacityPlans plans, ProductionDays days, ApplicationEventPublisher events, QueueShift.Meter queueShift) {
        this.plans = plans;
        this.days = days;
        this.events = events;
        this.queueShift = queueShift;
    }

    @Transactional
    CapacityPlan replaceFrom(LocalDate from, List<CapacityPeriod> periods, String changedBy, String reason) {
        CapacityPlan changed = change(from, periods, changedBy, reason);
        log.info("capacity plan changed from {} by {}: {} ({})", from, changedBy, changed.from(from), reason);
        return changed;
    }

    record Preview(CapacityPlan plan, QueueShift shift) {
    }

    /**
     * What {@link #replaceFrom} would do to the queue: the same change, in a transaction rolled back at its end, so
     * the answer is exactly what applying would do now and nothing of it stays (plan, dates, events).
     */
    @Transactional
    Preview preview(LocalDate from, List<CapacityPeriod> periods, String changedBy, String reason) {
        TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
        queueShift.beforeChange();
        CapacityPlan changed = change(from, periods, changedBy, reason);
        return new Preview(changed, queueShift.afterChange());
    }

    private CapacityPlan change(LocalDate from, List<CapacityPeriod> periods, String changedBy, String reason) {
        days.lock();
        CapacityPlan current = plans.current();
        CapacityPlan changed = current.replaceFrom(from, periods, earliestChangeableDay());
        plans.replaceFrom(from, changed);
        plans.recordChange(new CapacityPlans.PlanChange(days.now().truncatedTo(ChronoUnit.MILLIS), changedBy, reason, from,
                changed.from(from), current.from(from)));
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
