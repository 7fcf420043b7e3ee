package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;

/** A built unit a cancelled preorder gave up ({@code releasedFrom}), on its way to the next preorder of its variant. */
record ReleasedUnit(String vin, Variant variant, String plant, Instant builtAt, LocalDate builtOn, PreorderId releasedFrom) {

    static final Comparator<ReleasedUnit> BUILD_ORDER = Comparator.comparing(ReleasedUnit::builtAt).thenComparing(ReleasedUnit::vin);

    static ReleasedUnit of(PreorderState cancelled) {
        BuiltUnit unit = cancelled.unit();
        return new ReleasedUnit(unit.vin(), cancelled.variant(), unit.plant(), unit.builtAt(), unit.builtOn(), cancelled.id());
    }

    /** The unit as built for this preorder. */
    BuiltUnit to(PreorderId preorder) {
        return new BuiltUnit(preorder, vin, plant, builtAt, builtOn);
    }
}
