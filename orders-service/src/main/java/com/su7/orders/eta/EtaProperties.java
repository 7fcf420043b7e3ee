package com.su7.orders.eta;

import com.su7.contract.ObservedBuildRate;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the customer-facing ETA is estimated while a car is not built yet (the formula: {@code R__eta_estimate.sql}).
 *
 * @param assumedDailyRate units per factory day the plant is assumed to build, all variants together, until a full
 *                         factory day of builds has been observed
 * @param rateWindowDays   the observed rate counts the units built in this many recent factory days
 * @param rateBand         the estimate spans the rate plus and minus this share (0.2: from 80% to 120%)
 * @param minimumDailyRate the rate never counts as lower than this, so a stalled line still gives a date
 * @param horizonDays      no estimate reaches further than this many days past today
 * @param refreshInterval  how often estimates are recomputed when builds or the queue changed (and always when the
 *                         factory day changes)
 * @param changeThresholdDays a re-estimate is shown (a history row, an EtaChanged event, the new range in the API)
 *                         only when its latest date moves by at least this many days; a smaller move is wobble and
 *                         the customer keeps the range shown (1: any move of the latest date; 0 with a share of 0: any
 *                         move at all)
 * @param changeThresholdShare and by at least this share of the wait shown (the days from today to the latest date
 *                         shown): a customer months away is not told every day the settling build rate moves their
 *                         date back and forth, one a few days away is told a day (0.05: 5 days of a 100-day wait)
 * @param publishChanges   whether each change shown is also published as an EtaChanged (the history rows are written
 *                         either way); off only to measure what the events cost (the pipeline benchmark's
 *                         {@code benchmark.eta-changed=on,off}): notification services then hear nothing
 */
@ConfigurationProperties("orders.eta")
public record EtaProperties(
        @DefaultValue("300") double assumedDailyRate,
        @DefaultValue("7") int rateWindowDays,
        @DefaultValue("0.2") double rateBand,
        @DefaultValue("0.5") double minimumDailyRate,
        @DefaultValue("3650") int horizonDays,
        @DefaultValue("5s") Duration refreshInterval,
        @DefaultValue("1") int changeThresholdDays,
        @DefaultValue("0.05") double changeThresholdShare,
        @DefaultValue("true") boolean publishChanges) {

    public EtaProperties {
        if (!(assumedDailyRate > 0)) {
            throw new IllegalArgumentException("orders.eta.assumed-daily-rate must be a rate above zero, not " + assumedDailyRate);
        }
        if (rateWindowDays < 1) {
            throw new IllegalArgumentException("orders.eta.rate-window-days must be at least 1, not " + rateWindowDays);
        }
        if (rateBand < 0 || rateBand >= 1) {
            throw new IllegalArgumentException("orders.eta.rate-band must be at least 0 and below 1, not " + rateBand);
        }
        if (minimumDailyRate <= 0) {
            throw new IllegalArgumentException("orders.eta.minimum-daily-rate must be above zero, not " + minimumDailyRate);
        }
        if (changeThresholdDays < 0) {
            throw new IllegalArgumentException("orders.eta.change-threshold-days must be at least 0, not " + changeThresholdDays);
        }
        if (!(changeThresholdShare >= 0 && changeThresholdShare < 1)) {
            throw new IllegalArgumentException("orders.eta.change-threshold-share must be at least 0 and below 1, not " + changeThresholdShare);
        }
        if (horizonDays < 1) {
            throw new IllegalArgumentException("orders.eta.horizon-days must be at least 1, not " + horizonDays);
        }
    }

    /**
     * The rate to estimate from: the assumed one until a full factory day of builds has been observed, then the
     * observed one, never below the minimum. A customer always gets a date (delivery-service's outlook, for ops,
     * shows none before the first build instead).
     */
    public double unitsPerDay(ObservedBuildRate observed) {
        return observed.coversAFactoryDay() ? Math.max(minimumDailyRate, observed.unitsPerDay()) : assumedDailyRate;
    }
}
