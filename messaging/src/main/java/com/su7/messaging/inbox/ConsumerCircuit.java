package com.su7.messaging.inbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Counts a consumer's consecutive failed deliveries. After enough of them the circuit is open: the consumer still
 * holds its place (nothing is skipped) and tries again every capped back-off, but health says {@code DEGRADED},
 * {@code su7.messaging.circuit.open} is 1, and one log line says why. The first delivery that goes through closes it.
 */
public final class ConsumerCircuit {

    private static final Logger log = LoggerFactory.getLogger(ConsumerCircuit.class);

    private final String consumer;
    private final int opensAfter;
    private int consecutiveFailures;
    private Instant failingSince;
    private String lastFailure;
    private boolean open;

    ConsumerCircuit(String consumer, int opensAfter, MeterRegistry meters) {
        this.consumer = consumer;
        this.opensAfter = opensAfter;
        Gauge.builder("su7.messaging.circuit.open", this, circuit -> circuit.state().open() ? 1 : 0)
                .tag("consumer", consumer).description("1 while the consumer's circuit is open").register(meters);
    }

    synchronized void succeeded() {
        if (open) {
            log.info("circuit of consumer {} closed: a delivery went through after {} failures since {}", consumer,
                    consecutiveFailures, failingSince);
        }
        consecutiveFailures = 0;
        failingSince = null;
        lastFailure = null;
        open = false;
    }

    synchronized void failed(Throwable failure) {
        if (consecutiveFailures++ == 0) {
            failingSince = Instant.now();
        }
        lastFailure = failure.toString();
        if (!open && consecutiveFailures >= opensAfter) {
            open = true;
            log.error("circuit of consumer {} open: {} deliveries in a row failed since {}; it holds its place and "
                    + "keeps trying. Last failure: {}", consumer, consecutiveFailures, failingSince, lastFailure);
        }
    }

    public synchronized State state() {
        return new State(consumer, open, consecutiveFailures, failingSince, lastFailure);
    }

    public record State(String consumer, boolean open, int consecutiveFailures, Instant failingSince, String lastFailure) {
    }
}
