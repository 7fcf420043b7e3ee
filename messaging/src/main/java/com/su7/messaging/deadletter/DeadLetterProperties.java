package com.su7.messaging.deadletter;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * @param maxRedrives      how often one dead letter may be redriven: one that fails again after that is parked
 * @param releaseInterval  how often records held behind a dead letter that has been resolved meanwhile are released
 * @param metricsInterval  how often the dead-letter gauges are counted
 * @param maxChains        the most keys one redrive takes (the rest wait for the next)
 * @param maxHeaderText    the longest exception message or stack trace a {@code .DLT} copy carries, in characters
 */
@Validated
@ConfigurationProperties("su7.messaging.dead-letters")
public record DeadLetterProperties(
        @DefaultValue("3") @Min(1) int maxRedrives,
        @DefaultValue("30s") Duration releaseInterval,
        @DefaultValue("15s") Duration metricsInterval,
        @DefaultValue("10000") @Min(1) int maxChains,
        @DefaultValue("4000") @Min(100) int maxHeaderText) {
}
