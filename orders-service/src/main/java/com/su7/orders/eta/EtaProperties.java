package com.su7.orders.eta;

import com.su7.events.Variant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How the customer-facing ETA is estimated while a car is not built yet.
 *
 * @param assumedDailyRate units per factory day assumed for a variant until a full factory day of its builds
 *                         has been observed
 * @param rateWindowDays   the observed rate counts the units built in this many recent factory days
 * @param rateBand         the estimate spans the rate plus and minus this share (0.2: from 80% to 120%)
 * @param minimumDailyRate the rate never counts as lower than this, so a stalled line still gives a date
 * @param horizonDays      no estimate reaches further than this many days past today
 * @param refreshInterval  how often estimates are recomputed for the variants whose builds changed (and for all
 *                         when the factory day changes)
 */
@ConfigurationProperties("orders.eta")
public record EtaProperties(
        Map<Variant, Double> assumedDailyRate,
        @DefaultValue("7") int rateWindowDays,
        @DefaultValue("0.2") double rateBand,
        @DefaultValue("0.5") double minimumDailyRate,
        @DefaultValue("3650") int horizonDays,
        @DefaultValue("5s") Duration refreshInterval) {

    public EtaProperties {
        Map<Variant, Double> rates = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            Double rate = assumedDailyRate == null ? null : assumedDailyRate.get(variant);
            if (rate == null || rate <= 0) {
                throw new IllegalArgumentException("orders.eta.assumed-daily-rate.%s must be a rate above zero, not %s".formatted(variant, rate));
            }
            rates.put(variant, rate);
        }
        assumedDailyRate = rates;
        if (rateWindowDays < 1) {
            throw new IllegalArgumentException("orders.eta.rate-window-days must be at least 1, not " + rateWindowDays);
        }
        if (rateBand < 0 || rateBand >= 1) {
            throw new IllegalArgumentException("orders.eta.rate-band must be at least 0 and below 1, not " + rateBand);
        }
        if (minimumDailyRate <= 0) {
            throw new IllegalArgumentException("orders.eta.minimum-daily-rate must be above zero, not " + minimumDailyRate);
        }
        if (horizonDays < 1) {
            throw new IllegalArgumentException("orders.eta.horizon-days must be at least 1, not " + horizonDays);
        }
    }

    public EtaEstimator estimator() {
        return new EtaEstimator(rateBand, horizonDays, rateWindowDays, minimumDailyRate);
    }
}
