package com.su7.delivery;

import com.su7.events.CancellationReason;
import com.su7.events.Channel;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Events as orders-service and production-service publish them. */
public final class TestEvents {

    private TestEvents() {
    }

    public static PreorderPlaced placed(String preorderId, String city, Instant placedAt) {
        return PreorderPlaced.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(placedAt)
                .setPreorderId(preorderId)
                .setCustomerId("customer-" + preorderId)
                .setVariant(Variant.SU7_PRO)
                .setExteriorColor("Olivine Grey")
                .setDeliveryCity(city)
                .setDeposit(new BigDecimal("5000.00"))
                .setChannel(Channel.APP)
                .setPlacedAt(placedAt)
                .build();
    }

    public static UnitBuilt built(String preorderId, String vin, Instant builtAt) {
        return UnitBuilt.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(builtAt)
                .setPreorderId(preorderId)
                .setVin(vin)
                .setVariant(Variant.SU7_PRO)
                .setPlant("Beijing Yizhuang")
                .setBuiltAt(builtAt)
                .build();
    }

    /** A unit built for the cancelled preorder {@code reassignedFrom}, given to this one (production's UnitBuilt.reassignedFrom). */
    public static UnitBuilt reassigned(String preorderId, String vin, Instant builtAt, String reassignedFrom) {
        return UnitBuilt.newBuilder(built(preorderId, vin, builtAt)).setReassignedFrom(reassignedFrom).build();
    }

    /** As orders-service publishes it: the event id made from the preorder id (the same cancellation has the same id). */
    public static PreorderCancelled cancelled(String preorderId, Instant at) {
        return PreorderCancelled.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(("cancelled " + preorderId).getBytes(StandardCharsets.UTF_8)).toString())
                .setOccurredAt(at)
                .setPreorderId(preorderId)
                .setCustomerId("customer-" + preorderId)
                .setVariant(Variant.SU7_PRO)
                .setReason(CancellationReason.CHANGED_MIND)
                .build();
    }

    public static UnitBuilt copyWithNewEventId(UnitBuilt event) {
        return UnitBuilt.newBuilder(event).setEventId(UUID.randomUUID().toString()).build();
    }

    public static String preorderId() {
        return UUID.randomUUID().toString();
    }

    public static String vin() {
        String alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
        StringBuilder vin = new StringBuilder("LSU7T");
        for (int i = 0; i < 12; i++) {
            vin.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return vin.toString();
    }

    /** A city of letters only, unique per call: the tests' own centres never meet another test's units. */
    public static String city() {
        StringBuilder city = new StringBuilder("Testcity");
        for (int i = 0; i < 10; i++) {
            city.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return city.toString();
    }
}
