package com.su7.production.capacity;

import com.su7.production.shared.AfterCommit;
import com.su7.production.shared.ProductionDays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

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
    private final ProjectedDates projectedDates;
    /** A transaction of its own, always rolled back. */
    private final TransactionTemplate rehearsal;

    CapacityPlanService(CapacityPlans plans, ProductionDays days, ApplicationEventPublisher events, ProjectedDates projectedDates,
                        PlatformTransactionManager transactions) {
        this.plans = plans;
        this.days = days;
        this.events = events;
        this.projectedDates = projectedDates;
        this.rehearsal = new TransactionTemplate(transactions);
        this.rehearsal.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Transactional
    CapacityPlan replaceFrom(LocalDate from, List<CapacityPeriod> periods, String changedBy, String reason) {
        days.lock();
        CapacityPlan current = plans.current();
        CapacityPlan changed = current.replaceFrom(from, periods, earliestChangeableDay());
        plans.replaceFrom(from, changed);
        plans.recordChange(new CapacityPlans.PlanChange(days.now().truncatedTo(ChronoUnit.MILLIS), changedBy, reason, from,
                changed.from(from), current.from(from)));
        AfterCommit.run(() -> log.info("capacity plan changed from {} by {}: {} ({})", from, changedBy, changed.from(from), reason));
        events.publishEvent(new CapacityPlanChanged(from, changedBy));
        return changed;
    }

    /**
     * What {@link #replaceFrom} would do, found by doing it in a transaction that is then rolled back: the same
     * validation, the same recomputation of the queue's dates, compared with the dates before. Nothing is kept, and
     * nothing is logged or timed as changed. It holds the queue lock as long as the change itself would.
     */
    Preview preview(LocalDate from, List<CapacityPeriod> periods, String changedBy, String reason) {
        return rehearsal.execute(status -> {
            status.setRollbackOnly();
            // first: the dates compared move by this change alone
            days.lock();
            ProjectedDates.Snapshot before = projectedDates.snapshot();
            CapacityPlan plan = replaceFrom(from, periods, changedBy, reason);
            return new Preview(plan, before.movesSince());
        });
    }

    /** The plan as the change would make it, and how the queued preorders' dates would move. */
    record Preview(CapacityPlan plan, DateMoves moves) {
    }

    /** Today may still change (the lines build a day when it ends); a day already built may not. */
    private LocalDate earliestChangeableDay() {
        LocalDate today = days.today();
        LocalDate afterLastBuilt = days.lastBuiltDate().map(date -> date.plusDays(1)).orElse(today);
        return afterLastBuilt.isAfter(today) ? afterLastBuilt : today;
    }
}
