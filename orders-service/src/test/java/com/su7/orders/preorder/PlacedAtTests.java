package com.su7.orders.preorder;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A preorder's place in the first-come-first-served queue: the app's requestedAt is the customer's tap, forwarded
 * by a client, so it counts only within a small skew before the request reached Kafka, never before and never after.
 */
class PlacedAtTests {

    private static final Instant NOW = Instant.parse("2026-05-10T04:00:10Z");
    private static final Instant RECEIVED = Instant.parse("2026-05-10T04:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(1);

    @Test
    void aTapWithinTheSkewBeforeReceiptKeepsItsTime() {
        assertThat(PlacedAt.of(RECEIVED.minusMillis(400), RECEIVED, NOW, SKEW)).isEqualTo(RECEIVED.minusMillis(400));
    }

    @Test
    void aTapFarInThePastIsPlacedNoEarlierThanTheSkewBeforeReceipt() {
        assertThat(PlacedAt.of(Instant.parse("2000-01-01T00:00:00Z"), RECEIVED, NOW, SKEW)).isEqualTo(RECEIVED.minus(SKEW));
    }

    @Test
    void aTapInTheFutureIsPlacedAtReceipt() {
        assertThat(PlacedAt.of(Instant.parse("2100-01-01T00:00:00Z"), RECEIVED, NOW, SKEW)).isEqualTo(RECEIVED);
    }

    @Test
    void withoutATapTheRequestIsPlacedAtReceipt() {
        assertThat(PlacedAt.of(null, RECEIVED, NOW, SKEW)).isEqualTo(RECEIVED);
    }

    @Test
    void receiptIsWhenTheRequestReachedKafkaNotWhenItWasConsumedButNeverLaterThanNow() {
        assertThat(PlacedAt.of(null, NOW.plusSeconds(3600), NOW, SKEW)).as("a record stamped in the future").isEqualTo(NOW);
        assertThat(PlacedAt.of(null, null, NOW, SKEW)).as("a REST request is received now").isEqualTo(NOW);
    }

    @Test
    void aZeroSkewPlacesEveryTapAtReceipt() {
        assertThat(PlacedAt.of(RECEIVED.minusMillis(1), RECEIVED, NOW, Duration.ZERO)).isEqualTo(RECEIVED);
    }

    @Test
    void keepsMilliseconds() {
        assertThat(PlacedAt.of(null, null, NOW.plusNanos(1_234_567), SKEW)).isEqualTo(NOW.plusMillis(1));
    }
}
