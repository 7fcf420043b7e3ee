package com.su7.production.queue;

import com.su7.events.UnitBuilt;
import com.su7.events.Variant;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The UnitBuilt a unit goes out with, built for its preorder by the lines or the feed. */
public final class UnitBuiltEvents {

    private UnitBuiltEvents() {
    }

    public static UnitBuilt of(BuiltUnit unit, Variant variant, Instant now) {
        return UnitBuilt.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now.truncatedTo(ChronoUnit.MILLIS))
                .setPreorderId(unit.preorderId().toString())
                .setVin(unit.vin())
                .setVariant(variant)
                .setPlant(unit.plant())
                .setBuiltAt(unit.builtAt().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
