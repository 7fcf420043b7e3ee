package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.events.Variant;
import com.su7.messaging.outbox.Outbox;
import com.su7.messaging.tracing.EventTrace;
import com.su7.production.shared.ProductionDays;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the unit of a cancelled preorder goes: to the earliest queued preorder of its variant, as a cancelled car goes
 * to the next customer in line; with none queued it is kept spare, and the next preorder of that variant taken in
 * gets it. Either way the preorder that gets it is built with that unit (its VIN, plant and build time) and a
 * UnitBuilt naming the cancelled preorder in {@code reassignedFrom} goes out through the outbox.
 */
@Component
class CancelledUnits {

    private static final Logger log = LoggerFactory.getLogger(CancelledUnits.class);

    private final ProductionQueue queue;
    private final SpareUnits spares;
    private final Outbox outbox;
    private final ProductionDays days;
    private final Counter reassigned;

    CancelledUnits(ProductionQueue queue, SpareUnits spares, Outbox outbox, ProductionDays days, MeterRegistry meters) {
        this.queue = queue;
        this.spares = spares;
        this.outbox = outbox;
        this.days = days;
        this.reassigned = Counter.builder("su7.production.units.reassigned")
                .description("Built units of cancelled preorders given to another preorder of their variant").register(meters);
    }

    /**
     * Gives each released unit (the earliest built first) to the earliest queued preorder of its variant, locking
     * those, and keeps the rest spare. Returns the preorders that got one: they have left the queue. The caller holds
     * the queue lock and the intake lock alone, so no build and no intake changes the queue meanwhile.
     */
    List<QueuedPreorder> giveToNextInLine(List<ReleasedUnit> released, Function<PreorderId, EventTrace> traceOf) {
        Map<Variant, List<ReleasedUnit>> byVariant = released.stream().sorted(ReleasedUnit.BUILD_ORDER)
                .collect(Collectors.groupingBy(ReleasedUnit::variant, LinkedHashMap::new, Collectors.toList()));
        List<Handover> handovers = new ArrayList<>();
        List<ReleasedUnit> kept = new ArrayList<>();
        byVariant.forEach((variant, units) -> {
            List<QueuedPreorder> next = queue.nextInLine(variant, units.size());
            for (int i = 0; i < units.size(); i++) {
                ReleasedUnit unit = units.get(i);
                if (i < next.size()) {
                    handovers.add(new Handover(next.get(i), unit, traceOf.apply(unit.releasedFrom())));
                } else {
                    kept.add(unit);
                    log.info("unit {} of cancelled preorder {} kept spare: no {} queued", unit.vin(), unit.releasedFrom(), variant);
                }
            }
        });
        spares.keep(kept, days.now());
        hand(handovers);
        return handovers.stream().map(Handover::to).toList();
    }

    /**
     * Gives the spare units to preorders just queued, of their variant, in queue order. Returns those still queued.
     * The caller holds the intake lock (shared), so no cancellation keeps a spare meanwhile.
     */
    List<QueuedPreorder> giveSparesTo(List<QueuedPreorder> queued, Function<PreorderId, EventTrace> traceOf) {
        Set<Variant> kept = queued.isEmpty() ? Set.of() : spares.variants();
        if (kept.isEmpty()) {
            return queued;
        }
        Map<Variant, List<QueuedPreorder>> byVariant = queued.stream().filter(preorder -> kept.contains(preorder.variant()))
                .sorted(QueueEtaProjection.QUEUE_ORDER)
                .collect(Collectors.groupingBy(QueuedPreorder::variant, LinkedHashMap::new, Collectors.toList()));
        List<Handover> handovers = new ArrayList<>();
        byVariant.forEach((variant, preorders) -> {
            List<ReleasedUnit> units = spares.take(variant, preorders.size());
            for (int i = 0; i < units.size(); i++) {
                handovers.add(new Handover(preorders.get(i), units.get(i), traceOf.apply(preorders.get(i).id())));
            }
        });
        hand(handovers);
        Set<PreorderId> built = handovers.stream().map(handover -> handover.to().id()).collect(Collectors.toSet());
        return queued.stream().filter(preorder -> !built.contains(preorder.id())).toList();
    }

    private record Handover(QueuedPreorder to, ReleasedUnit unit, EventTrace trace) {
    }

    /** The preorders (locked, queued) are built with the units, each with its UnitBuilt. */
    private void hand(List<Handover> handovers) {
        if (handovers.isEmpty()) {
            return;
        }
        List<BuiltUnit> units = handovers.stream().map(handover -> handover.unit().to(handover.to().id())).toList();
        int built = queue.markBuilt(units);
        if (built != units.size()) {
            throw new IllegalStateException("%d of %d preorders given a cancelled preorder's unit were still queued: the queue changed under the lock"
                    .formatted(built, units.size()));
        }
        var now = days.now();
        for (int i = 0; i < handovers.size(); i++) {
            Handover handover = handovers.get(i);
            BuiltUnit unit = units.get(i);
            handover.trace().run(() -> outbox.record(Topics.UNIT_BUILT, unit.preorderId().toString(),
                    UnitBuiltEvents.reassigned(unit, handover.to().variant(), handover.unit().releasedFrom(), now)));
            log.info("unit {} of cancelled preorder {} went to preorder {}, the next {} in line", unit.vin(),
                    handover.unit().releasedFrom(), unit.preorderId(), handover.to().variant());
        }
        reassigned.increment(handovers.size());
    }
}
