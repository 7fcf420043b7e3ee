package com.su7.orders.eta;

import com.su7.events.DeliveryScheduled;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.orders.TestClockConfiguration;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** The events production-service and delivery-service would send about a preorder, as tests send them. */
public final class TestEvents {

    private TestEvents() {
    }

    /** A 17-character VIN derived from the preorder id, so each test's cars are its own. */
    public static String vinOf(String preorderId) {
        return ("LSU7" + preorderId.replace("-", "").toUpperCase()).substring(0, 17);
    }

    public static UnitBuilt unitBuilt(String preorderId, Variant variant, Instant builtAt) {
        return UnitBuilt.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(builtAt)
                .setPreorderId(preorderId)
                .setVin(vinOf(preorderId))
                .setVariant(variant)
                .setPlant("Beijing Yizhuang")
                .setBuiltAt(builtAt)
                .build();
    }

    public static DeliveryScheduled scheduled(String preorderId, int revision, String date) {
        return DeliveryScheduled.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(TestClockConfiguration.NOW)
                .setPreorderId(preorderId)
                .setVin(vinOf(preorderId))
                .setDeliveryCenter("Shanghai Hongqiao")
                .setDeliveryDate(LocalDate.parse(date))
                .setRevision(revision)
                .build();
    }
}
