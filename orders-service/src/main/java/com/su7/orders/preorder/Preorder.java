package com.su7.orders.preorder;

import com.su7.contract.PreorderId;
import com.su7.contract.TimeOrderedIds;
import com.su7.events.CancellationReason;
import com.su7.events.Channel;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A preorder as the customer placed it, and its cancellation once they cancel it (null until then); nothing else of it
 * ever changes (its journey is in the ETA projection).
 */
record Preorder(PreorderId id, String idempotencyKey, String requestHash, String customerId, Variant variant,
                String exteriorColor, String deliveryCity, BigDecimal deposit, Channel channel, EntryPoint entryPoint,
                Instant placedAt, String interior, String wheels, Cancellation cancellation) {

    /** When the customer cancelled and why. */
    record Cancellation(Instant cancelledAt, CancellationReason reason) {
    }

    Preorder {
        if (deposit.signum() <= 0) {
            throw new IllegalArgumentException("preorder %s needs a deposit above zero, not %s".formatted(id, deposit));
        }
        deposit = deposit.setScale(2, RoundingMode.UNNECESSARY);
    }

    /** A valid request as a new preorder; the city as we spell it. */
    static Preorder of(PreorderRequest request, String city, String idempotencyKey, EntryPoint entryPoint, Instant placedAt) {
        return new Preorder(PreorderId.next(), idempotencyKey, hashOf(request, city), request.customerId(),
                Variant.valueOf(request.variant()), request.exteriorColor(), city, request.deposit(),
                Channel.valueOf(request.channel()), entryPoint, placedAt, request.interior(), request.wheels(), null);
    }

    /**
     * SHA-256 of the canonical request: what the customer ordered. The same request retried hashes the same
     * (a deposit of 5000 equals 5000.00, a city in any case), anything else ordered differently does not. The options
     * count only when chosen, so a request without them hashes as it did before they existed.
     */
    static String hashOf(PreorderRequest request, String city) {
        String canonical = String.join("\u001f", request.customerId(), request.variant(), request.exteriorColor(), city,
                request.deposit().setScale(2, RoundingMode.UNNECESSARY).toPlainString(), request.channel());
        if (request.interior() != null || request.wheels() != null) {
            canonical += "\u001f" + Objects.requireNonNullElse(request.interior(), "") + "\u001f"
                    + Objects.requireNonNullElse(request.wheels(), "");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    Preorder cancelled(Cancellation cancelled) {
        return new Preorder(id, idempotencyKey, requestHash, customerId, variant, exteriorColor, deliveryCity, deposit, channel,
                entryPoint, placedAt, interior, wheels, cancelled);
    }

    PreorderPlaced placed(Instant occurredAt) {
        return PreorderPlaced.newBuilder()
                .setEventId(TimeOrderedIds.next().toString())
                .setOccurredAt(occurredAt)
                .setPreorderId(id.toString())
                .setCustomerId(customerId)
                .setVariant(variant)
                .setExteriorColor(exteriorColor)
                .setDeliveryCity(deliveryCity)
                .setDeposit(deposit)
                .setChannel(channel)
                .setPlacedAt(placedAt)
                .setInterior(interior)
                .setWheels(wheels)
                .build();
    }
}
