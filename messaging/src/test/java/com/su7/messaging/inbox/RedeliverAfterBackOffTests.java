package com.su7.messaging.inbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RedeliverAfterBackOffTests {

    private final RedeliverAfterBackOff handler =
            new RedeliverAfterBackOff(Duration.ofMillis(250), Duration.ofSeconds(10), new SimpleMeterRegistry());

    @Test
    void backOffDoublesUpToItsCap() {
        assertThat(handler.backOff(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(handler.backOff(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(handler.backOff(6)).isEqualTo(Duration.ofSeconds(8));
        assertThat(handler.backOff(7)).isEqualTo(Duration.ofSeconds(10));
        assertThat(handler.backOff(1_000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void acknowledgesNothingOfAFailedBatch() {
        assertThat(handler.isAckAfterHandle()).isFalse();
        assertThat(handler.seeksAfterHandling()).isTrue();
    }
}
