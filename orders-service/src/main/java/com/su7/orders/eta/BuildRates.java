package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.ObservedBuildRate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import com.su7.messaging.inbox.EventInbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The plant's build rate, all variants together, as observed in UnitBuilt ({@link ObservedBuildRate}, the definition
 * delivery-service shares), over a window that ends where every partition of UnitBuilt has been read (as its listener
 * notes it: {@link EventInbox#everyPartitionReadUpTo}). Every refresh recomputes it; a placement uses the last one
 * computed (or computes it, the first time), so new preorders and the refresh estimate alike.
 */
@Component
class BuildRates {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final EtaProperties properties;
    private final EventInbox inbox;
    private final AtomicReference<Double> current = new AtomicReference<>();

    BuildRates(JdbcClient jdbc, Clock clock, FactoryCalendar calendar, EtaProperties properties, EventInbox inbox, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.properties = properties;
        this.inbox = inbox;
        Gauge.builder("su7.orders.eta.build-rate", current, rate -> rate.get() == null ? Double.NaN : rate.get())
                .description("Units per factory day observed in UnitBuilt, all variants (or assumed before a day of builds)")
                .baseUnit("units/day").register(meters);
    }

    /** The rate last computed. */
    double unitsPerDay() {
        Double rate = current.get();
        return rate != null ? rate : recompute();
    }

    /** Recomputes the rate from the builds observed so far. */
    double recompute() {
        Duration dayLength = calendar.dayLength();
        // A unit reassigned from a cancelled preorder was counted when it was built.
        Builds builds = jdbc.sql("select min(built_at), max(built_at) from unit_built where reassigned_from is null")
                .query((rs, row) -> new Builds(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))))
                .single();
        // Before the listener has noted how far it read (a release that did not note it ran before), the latest build
        // stands for every partition's.
        Instant readUpTo = inbox.everyPartitionReadUpTo(UnitBuiltListener.CONSUMER).orElse(builds.latest());
        Instant end = ObservedBuildRate.windowEndWhereEveryPartitionIsRead(clock.instant(), readUpTo);
        long units = builds.first() == null ? 0 : jdbc.sql("select count(*) from unit_built where built_at >= ? and built_at < ? and reassigned_from is null")
                .params(Timestamp.from(ObservedBuildRate.windowStart(end, properties.rateWindowDays(), dayLength)), Timestamp.from(end))
                .query(Long.class).single();
        double rate = properties.unitsPerDay(ObservedBuildRate.of(units, builds.first(), end, properties.rateWindowDays(), dayLength));
        current.set(rate);
        return rate;
    }

    /**
     * The factory day places in the queue count from: today, or yesterday while yesterday's builds are on their way.
     * The lines build a day at its end; until its {@code UnitBuilt}s are read, the places still count the units built
     * that day, and counted from the new day every customer near the front was told a day later, then a day earlier
     * when the builds came (78 % of the later moves in a {@code ./run.sh --day-length PT4S} came in the second after a
     * day ended). "On their way": every partition is read up to the day before yesterday's builds, not yet
     * yesterday's; a plant that built nothing for longer has nothing on its way.
     */
    LocalDate placesCountFrom() {
        LocalDate today = calendar.today(clock);
        return inbox.everyPartitionReadUpTo(UnitBuiltListener.CONSUMER)
                .filter(readUpTo -> calendar.dateOf(readUpTo).equals(today.minusDays(2)))
                .map(readUpTo -> today.minusDays(1))
                .orElse(today);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** When the first and the latest unit seen were built; null before any. */
    private record Builds(Instant first, Instant latest) {
    }
}
