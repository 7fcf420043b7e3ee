package com.su7.messaging.outbox;

import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.messaging.tracing.Traces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class OutboxRelayTests {

    private final TransactionTemplate transactions = mock(TransactionTemplate.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @SuppressWarnings("unchecked")
    private OutboxRelay relay() {
        OutboxProperties properties = new OutboxProperties(500, Duration.ofMillis(5), Duration.ofSeconds(30),
                Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofSeconds(60));
        return new OutboxRelay(mock(JdbcTemplate.class), transactions, mock(KafkaTemplate.class), properties,
                mock(ConfluentRegistryClient.class), 1024 * 1024, meters, mock(Traces.class));
    }

    @Test
    void aBatchThatFailsEvenWithAnErrorIsRetriedAndTheRelayGoesOnPublishing() {
        when(transactions.execute(any(TransactionCallback.class)))
                .thenThrow(new StackOverflowError("a row that recursed"))
                .thenReturn(0);
        OutboxRelay relay = relay();
        relay.start();
        try {
            verify(transactions, timeout(30_000).atLeast(3)).execute(any(TransactionCallback.class));
            assertThat(meters.counter("su7.outbox.failures").count()).isEqualTo(1);
            assertThat(relay.failing()).as("a batch went through after the failure").isNull();
        } finally {
            relay.stop();
        }
    }
}
