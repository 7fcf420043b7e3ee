package com.su7.messaging.testapp;

import com.su7.events.Channel;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Events for tests; the sequence number rides in customerId so ordering can be checked per key. */
public final class TestEvents {

    private TestEvents() {
    }

    public static PreorderPlaced preorderPlaced(String preorderId, int sequence) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return PreorderPlaced.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now)
                .setPreorderId(preorderId)
                .setCustomerId("customer-" + sequence)
                .setVariant(Variant.SU7_PRO)
                .setExteriorColor("Olivine Grey")
                .setDeliveryCity("Shanghai")
                .setDeposit(new BigDecimal("5000.00"))
                .setChannel(Channel.APP)
                .setPlacedAt(now)
                .build();
    }

    public static int sequenceOf(PreorderPlaced event) {
        return Integer.parseInt(event.getCustomerId().substring("customer-".length()));
    }

    public static UnitBuilt unitBuiltFor(PreorderPlaced placed) {
        return UnitBuilt.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setPreorderId(placed.getPreorderId())
                .setVin("LSU7TEST0PN000001")
                .setVariant(placed.getVariant())
                .setPlant("Beijing Yizhuang")
                .setBuiltAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
