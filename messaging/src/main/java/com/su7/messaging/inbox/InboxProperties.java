package com.su7.messaging.inbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param deduplicationWindow how long processed event ids are remembered: as long as the topics keep records
 *                            (14 days), so even a replay from the earliest offset is deduplicated
 * @param cleanupInterval     how often older ids are deleted
 * @param retryInitialInterval first back-off before a batch that failed on infrastructure is redelivered
 * @param retryMaxInterval    the back-off's cap while the outage lasts
 */
@ConfigurationProperties("su7.messaging.inbox")
public record InboxProperties(
        @DefaultValue("14d") Duration deduplicationWindow,
        @DefaultValue("10m") Duration cleanupInterval,
        @DefaultValue("250ms") Duration retryInitialInterval,
        @DefaultValue("10s") Duration retryMaxInterval) {
}
