package com.su7.production.support;

import com.su7.events.CancellationReason;
import com.su7.events.Channel;
import com.su7.events.DeliveryScheduled;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

public final class TestEvents {

    private TestEvents() {
    }

    public static PreorderPlaced preorderPlaced(UUID preorderId, Variant variant, String city, Instant placedAt) {
        return PreorderPlaced.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(placedAt.truncatedTo(ChronoUnit.MILLIS))
                .setPreorderId(preorderId.toString())
                .setCustomerId("customer-" + preorderId)
                .setVariant(variant)
                .setExteriorColor("Olivine Grey")
                .setDeliveryCity(city)
                .setDeposit(new BigDecimal("5000.00"))
                .setChannel(Channel.APP)
                .setPlacedAt(placedAt.truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    public static DeliveryScheduled deliveryScheduled(UUID preorderId, String vin, LocalDate date, int revision) {
        return DeliveryScheduled.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setPreorderId(preorderId.toString())
                .setVin(vin)
                .setDeliveryCenter("Shanghai Jing'an")
                .setDeliveryDate(date)
                .setRevision(revision)
                .build();
    }

    /** As orders-service makes it: the event id from the preorder id, so the same cancellation has the same id. */
    public static PreorderCancelled preorderCancelled(UUID preorderId, Variant variant, Instant cancelledAt) {
        return PreorderCancelled.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(("PreorderCancelled:" + preorderId).getBytes(StandardCharsets.UTF_8)).toString())
                .setOccurredAt(cancelledAt.truncatedTo(ChronoUnit.MILLIS))
                .setPreorderId(preorderId.toString())
                .setCustomerId("customer-" + preorderId)
                .setVariant(variant)
                .setReason(CancellationReason.CHANGED_MIND)
                .build();
    }
}
