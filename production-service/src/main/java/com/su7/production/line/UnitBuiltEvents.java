package com.su7.production.line;

import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.production.queue.BuiltUnit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

final class UnitBuiltEvents {

    private UnitBuiltEvents() {
    }

    static UnitBuilt of(BuiltUnit unit, Variant variant, Instant now) {
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
