package com.su7.messaging.outbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param batchSize          events published per transaction
 * @param pollInterval       how often the relay looks for events when no commit woke it
 * @param sendTimeout        how long a batch may wait for Kafka's acknowledgements before it is retried
 * @param failureBackOff     first wait after a failed batch (doubling up to {@code maxFailureBackOff})
 * @param maxFailureBackOff  longest wait between retries while Kafka or the database is away
 * @param measureInterval    how often the backlog is measured ({@link OutboxBacklog})
 * @param staleAfter         how old the oldest waiting row (or a run of failures) may get before the relay's health
 *                           says DEGRADED
 */
@ConfigurationProperties("su7.messaging.outbox")
public record OutboxProperties(
        @DefaultValue("500") int batchSize,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("30s") Duration sendTimeout,
        @DefaultValue("200ms") Duration failureBackOff,
        @DefaultValue("10s") Duration maxFailureBackOff,
        @DefaultValue("5s") Duration measureInterval,
        @DefaultValue("60s") Duration staleAfter) {

    public OutboxProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("su7.messaging.outbox.batch-size must be at least 1, not " + batchSize);
        }
    }
}
