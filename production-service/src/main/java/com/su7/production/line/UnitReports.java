package com.su7.production.line;

import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.messaging.outbox.Outbox;
import com.su7.production.queue.BuiltUnit;
import com.su7.production.queue.PreorderState;
import com.su7.production.queue.ProductionQueue;
import com.su7.production.queue.UnitBuiltEvents;
import com.su7.production.queue.UnknownPreorderException;
import com.su7.production.shared.ProductionDays;
import com.su7.production.shared.ProductionProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Units a real factory feed reports built. Idempotent: the same preorder reported again is the same unit
 * (no second UnitBuilt); reported with another VIN it is a conflict.
 */
@Service
class UnitReports {

    private final ProductionDays days;
    private final ProductionQueue queue;
    private final VinFactory vins;
    private final Outbox outbox;
    private final String defaultPlant;
    private final Counter unitsReported;

    UnitReports(ProductionDays days, ProductionQueue queue, VinFactory vins, Outbox outbox, ProductionProperties properties,
                MeterRegistry meters) {
        this.days = days;
        this.queue = queue;
        this.vins = vins;
        this.outbox = outbox;
        this.defaultPlant = properties.plant();
        this.unitsReported = Counter.builder("su7.production.units.built").tag("source", "feed")
                .description("Units reported built by the factory feed").register(meters);
    }

    @Transactional
    Report report(PreorderId id, Optional<Vin> vin, Optional<Instant> builtAt, Optional<String> plant) {
        days.lock();
        PreorderState preorder = queue.findForUpdate(id).orElseThrow(() -> new UnknownPreorderException(id));
        if (preorder.isCancelled()) {
            throw new UnitConflictException("preorder %s was cancelled at %s: no unit is built for it".formatted(id, preorder.cancelledAt()));
        }
        if (!preorder.isQueued()) {
            if (vin.isPresent() && !vin.get().value().equals(preorder.vin())) {
                throw new UnitConflictException("preorder %s was built as VIN %s, not %s".formatted(id, preorder.vin(), vin.get()));
            }
            return new Report(preorder, false);
        }
        Instant at = builtAt.orElseGet(days::now).truncatedTo(ChronoUnit.MILLIS);
        var builtOn = days.calendar().dateOf(at);
        String assigned = vin.orElseGet(() -> vins.next(List.of(preorder.variant()), builtOn).getFirst()).value();
        queue.holderOf(assigned).ifPresent(holder -> {
            throw new UnitConflictException("VIN %s belongs to preorder %s already".formatted(assigned, holder));
        });
        BuiltUnit unit = new BuiltUnit(id, assigned, plant.orElse(defaultPlant), at, builtOn);
        queue.markBuilt(List.of(unit));
        outbox.record(Topics.UNIT_BUILT, id.toString(), UnitBuiltEvents.of(unit, preorder.variant(), days.now()));
        unitsReported.increment();
        return new Report(queue.find(id).orElseThrow(), true);
    }

    record Report(PreorderState unit, boolean created) {
    }
}
