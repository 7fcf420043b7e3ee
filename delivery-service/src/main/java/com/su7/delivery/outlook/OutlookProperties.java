package com.su7.delivery.outlook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param buildRateWindowDays how many recent factory days the observed build rate averages over
 * @param summaryDays         days the centre summary shows when the request does not say
 * @param metricsRefresh      how often the backlog and held gauges are recomputed from the database
 */
@ConfigurationProperties("su7.delivery.outlook")
record OutlookProperties(
        @DefaultValue("7") int buildRateWindowDays,
        @DefaultValue("14") int summaryDays,
        @DefaultValue("5s") Duration metricsRefresh) {

    OutlookProperties {
        if (buildRateWindowDays < 1) {
            throw new IllegalArgumentException("su7.delivery.outlook.build-rate-window-days must be at least 1, not " + buildRateWindowDays);
        }
    }
}
