package com.su7.messaging.inbox;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * @param deduplicationWindow     how long processed event ids are remembered (14 days); an event redelivered later
 *                                than that (a consumer group reset to the earliest offset of a topic kept forever)
 *                                is absorbed by the handlers' own idempotency
 * @param cleanupInterval         how often older ids are deleted
 * @param retryInitialInterval    first back-off before a batch that failed is redelivered
 * @param retryMaxInterval        the back-off's cap while the failure lasts
 * @param permanentAfterAttempts  how many deliveries must find an event at fault before it is dead-lettered: one
 *                                verdict could be a fluke (a rule checked against reference data not loaded yet),
 *                                so the record is redelivered after a back-off and judged again
 * @param circuitOpensAfter       consecutive failed deliveries after which a consumer's circuit opens (health
 *                                {@code DEGRADED}, a metric, one log line); it closes with the first success
 */
@Validated
@ConfigurationProperties("su7.messaging.inbox")
public record InboxProperties(
        @DefaultValue("14d") Duration deduplicationWindow,
        @DefaultValue("10m") Duration cleanupInterval,
        @DefaultValue("250ms") Duration retryInitialInterval,
        @DefaultValue("10s") Duration retryMaxInterval,
        @DefaultValue("2") @Min(1) int permanentAfterAttempts,
        @DefaultValue("5") @Min(1) int circuitOpensAfter) {
}
