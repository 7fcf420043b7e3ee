package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.contract.TimeOrderedIds;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The UnitBuilt a unit goes out with: built for its preorder by the lines or the feed, or given to it from a cancelled one. */
public final class UnitBuiltEvents {

    private UnitBuiltEvents() {
    }

    public static UnitBuilt of(BuiltUnit unit, Variant variant, Instant now) {
        return builder(unit, variant, now).build();
    }

    /** The unit was built for {@code from}, whose cancellation gave it to the unit's preorder: no new build. */
    static UnitBuilt reassigned(BuiltUnit unit, Variant variant, PreorderId from, Instant now) {
        return builder(unit, variant, now).setReassignedFrom(from.toString()).build();
    }

    private static UnitBuilt.Builder builder(BuiltUnit unit, Variant variant, Instant now) {
        return UnitBuilt.newBuilder()
                .setEventId(TimeOrderedIds.next().toString())
                .setOccurredAt(now.truncatedTo(ChronoUnit.MILLIS))
                .setPreorderId(unit.preorderId().toString())
                .setVin(unit.vin())
                .setVariant(variant)
                .setPlant(unit.plant())
                .setBuiltAt(unit.builtAt().truncatedTo(ChronoUnit.MILLIS));
    }
}
