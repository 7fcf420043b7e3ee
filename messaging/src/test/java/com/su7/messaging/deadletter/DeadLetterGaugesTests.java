package com.su7.messaging.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class DeadLetterGaugesTests {

    private final DeadLetterStore store = mock(DeadLetterStore.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeadLetterGauges gauges = new DeadLetterGauges(store, meters);

    private static DeadLetterStore.Tally open(long letters) {
        return new DeadLetterStore.Tally("orders.unit-built", "production.unit-built", DeadLetterState.OPEN,
                "com.su7.messaging.inbox.PermanentEventException", letters, Instant.now().minusSeconds(60));
    }

    private Gauge openLetters() {
        return meters.find("su7.messaging.dead-letters").tags("consumer", "orders.unit-built", "state", "OPEN").gauge();
    }

    @Test
    void aGaugeKeepsItsRegistrationAndReadsTheLatestCountUntilItsLettersAreResolved() {
        when(store.tally()).thenReturn(List.of(open(2)));
        gauges.count();
        Gauge first = openLetters();
        assertThat(first.value()).isEqualTo(2);

        when(store.tally()).thenReturn(List.of(open(5)));
        gauges.count();
        assertThat(openLetters()).as("the same gauge, not removed and registered again").isSameAs(first);
        assertThat(first.value()).isEqualTo(5);
        assertThat(meters.find("su7.messaging.dead-letters.oldest.age").tag("consumer", "orders.unit-built").gauge().value())
                .isGreaterThanOrEqualTo(60);

        when(store.tally()).thenReturn(List.of());
        gauges.count();
        assertThat(openLetters()).as("resolved: gone").isNull();
        assertThat(meters.find("su7.messaging.dead-letters.oldest.age").gauges()).isEmpty();
    }
}
