package com.su7.orders.eta;

import com.su7.events.Variant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtaPropertiesTests {

    @Test
    void everyVariantNeedsAnAssumedRate() {
        assertThatThrownBy(() -> new EtaProperties(Map.of(Variant.SU7, 10.0), 7, 0.2, 0.5, 3650, Duration.ofSeconds(5)))
                .hasMessageContaining("orders.eta.assumed-daily-rate.SU7_PRO must be a rate above zero, not null");
    }

    @Test
    void theBandMustLeaveARateAboveZero() {
        Map<Variant, Double> rates = Map.of(Variant.SU7, 1.0, Variant.SU7_PRO, 1.0, Variant.SU7_MAX, 1.0);

        assertThatThrownBy(() -> new EtaProperties(rates, 7, 1.0, 0.5, 3650, Duration.ofSeconds(5)))
                .hasMessageContaining("rate-band must be at least 0 and below 1, not 1.0");
    }
}
