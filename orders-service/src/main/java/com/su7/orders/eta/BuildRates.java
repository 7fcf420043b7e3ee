package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.events.Variant;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The build rate each variant is observed to have in UnitBuilt. Every refresh recomputes it; a placement uses
 * the last one computed (or computes it, the first time), so new preorders and the refresh estimate alike.
 */
@Component
class BuildRates {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final EtaProperties properties;
    private final EtaEstimator estimator;
    private final Map<Variant, Double> current = new ConcurrentHashMap<>();

    BuildRates(JdbcClient jdbc, Clock clock, FactoryCalendar calendar, EtaProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.properties = properties;
        this.estimator = properties.estimator();
        for (Variant variant : Variant.values()) {
            Gauge.builder("su7.orders.eta.build-rate", current, rates -> rates.getOrDefault(variant, Double.NaN))
                    .description("Units per factory day observed in UnitBuilt (or assumed before any), by variant")
                    .tag("variant", variant.name()).baseUnit("units/day").register(meters);
        }
    }

    /** The rate last computed for the variant. */
    double unitsPerDay(Variant variant) {
        Double rate = current.get(variant);
        return rate != null ? rate : recompute(variant);
    }

    /**
     * Recomputes the variant's rate from the builds observed so far. The window ends a factory day after the
     * latest build seen (or now, if that is sooner): builds reach this service some time after they happen, and a
     * window ending now would count the days whose builds are still on their way as days without builds — in a
     * demo with one-second days that lag is whole days, and the rate would collapse.
     */
    double recompute(Variant variant) {
        Instant now = clock.instant();
        Observed observed = jdbc.sql("select min(built_at), max(built_at) from unit_built where variant = ?")
                .param(variant.name())
                .query((row, index) -> new Observed(instant(row.getTimestamp(1)), instant(row.getTimestamp(2))))
                .single();
        Instant windowEnd = observed.latest() == null ? now : min(now, observed.latest().plus(calendar.dayLength()));
        long units = observed.first() == null ? 0 : jdbc.sql("select count(*) from unit_built where variant = ? and built_at > ? and built_at <= ?")
                .params(variant.name(), Timestamp.from(estimator.windowStart(windowEnd, calendar.dayLength())), Timestamp.from(windowEnd))
                .query(Long.class).single();
        double rate = estimator.unitsPerDay(new BuildHistory(units, observed.first()), windowEnd, calendar.dayLength(),
                properties.assumedDailyRate().get(variant));
        current.put(variant, rate);
        return rate;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private record Observed(Instant first, Instant latest) {
    }
}
