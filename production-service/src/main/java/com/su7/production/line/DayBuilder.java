package com.su7.production.line;

import com.su7.contract.Topics;
import com.su7.messaging.outbox.Outbox;
import com.su7.messaging.tracing.Traces;
import com.su7.production.capacity.CapacityPlans;
import com.su7.production.queue.BuiltUnit;
import com.su7.production.queue.ProductionQueue;
import com.su7.production.queue.QueuedPreorder;
import com.su7.production.queue.UnitBuiltEvents;
import com.su7.production.shared.ProductionDays;
import com.su7.production.shared.ProductionProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds one factory day: the first {@code capacity} preorders in the queue get a VIN and a UnitBuilt, and
 * the day is marked built, all in one transaction. The mark is what makes every day built exactly once,
 * across restarts and instances: a crash before the commit leaves the day to be built again, whole. Each UnitBuilt
 * continues its preorder's trace, after a span of its wait in the production queue (from when it was queued).
 */
@Component
class DayBuilder {

    private final ProductionDays days;
    private final CapacityPlans plans;
    private final ProductionQueue queue;
    private final VinFactory vins;
    private final Outbox outbox;
    private final Traces traces;
    private final String plant;

    DayBuilder(ProductionDays days, CapacityPlans plans, ProductionQueue queue, VinFactory vins, Outbox outbox,
               Traces traces, ProductionProperties properties) {
        this.days = days;
        this.plans = plans;
        this.queue = queue;
        this.vins = vins;
        this.outbox = outbox;
        this.traces = traces;
        this.plant = properties.plant();
    }

    /** Builds the earliest factory day that has ended and is not built yet, if there is one. */
    @Transactional
    Optional<BuiltDay> buildNextEndedDay() {
        days.lock();
        LocalDate today = days.today();
        Optional<LocalDate> lastBuilt = days.lastBuiltDate();
        if (lastBuilt.isEmpty()) {
            // First start: the lines begin with today; days before it had nothing to build.
            days.markBuilt(today.minusDays(1));
            return Optional.empty();
        }
        LocalDate day = lastBuilt.get().plusDays(1);
        if (!day.isBefore(today)) {
            return Optional.empty();
        }
        int capacity = plans.current().capacityOn(day);
        List<QueuedPreorder> next = capacity == 0 ? List.of() : queue.nextInLine(capacity);
        if (next.isEmpty() && queue.length() == 0) {
            // Nothing queued: every ended day up to yesterday builds nothing; skip them in one step (a demo's
            // one-second days pile up thousands while the service is down).
            LocalDate yesterday = today.minusDays(1);
            days.markBuilt(yesterday);
            return Optional.of(new BuiltDay(day, yesterday, capacity, 0));
        }
        // A day's units are reported as it ends.
        Instant builtAt = days.calendar().startOf(day.plusDays(1)).minusMillis(1);
        List<Vin> assigned = vins.next(next.stream().map(QueuedPreorder::variant).toList(), day);
        List<BuiltUnit> units = new ArrayList<>(next.size());
        for (int i = 0; i < next.size(); i++) {
            units.add(new BuiltUnit(next.get(i).id(), assigned.get(i).value(), plant, builtAt, day));
        }
        int built = queue.markBuilt(units);
        if (built != units.size()) {
            throw new IllegalStateException("built %d of %d units of %s: the queue changed under the lock".formatted(built, units.size(), day));
        }
        Instant now = days.now();
        for (int i = 0; i < units.size(); i++) {
            BuiltUnit unit = units.get(i);
            QueuedPreorder preorder = next.get(i);
            traces.inSpanOf(preorder.traceparent(), "production queue", preorder.queuedAt(),
                    Map.of("preorder.id", preorder.id().toString(), "vin", unit.vin(), "factory.day", day.toString()),
                    () -> outbox.record(Topics.UNIT_BUILT, unit.preorderId().toString(), UnitBuiltEvents.of(unit, preorder.variant(), now)));
        }
        days.markBuilt(day);
        return Optional.of(new BuiltDay(day, day, capacity, units.size()));
    }

    /** Factory days from..to (usually one) built, with the capacity of the first and the units built. */
    record BuiltDay(LocalDate from, LocalDate to, int capacity, int built) {
    }
}
