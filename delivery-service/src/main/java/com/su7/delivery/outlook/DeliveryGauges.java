package com.su7.delivery.outlook;

import com.su7.contract.FactoryCalendar;
import com.su7.delivery.center.Center;
import com.su7.delivery.center.Centers;
import com.su7.delivery.schedule.ScheduleQueries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code su7.delivery.backlog} (preorders awaiting their unit, per centre), {@code su7.delivery.scheduled.ahead}
 * (hand-overs booked from today on, per centre) and {@code su7.delivery.held} (units whose preorder has not
 * arrived): recomputed on a schedule, so a scrape never queries the database. Each centre's gauges are registered
 * once and their values set at each refresh: re-registering them (a MultiGauge overwritten every refresh) let a scrape
 * meet a centre's old and new gauge together, which the Prometheus registry refuses ("duplicate labels", a 500).
 */
@Component
class DeliveryGauges {

    private static final Logger log = LoggerFactory.getLogger(DeliveryGauges.class);

    private final ScheduleQueries schedule;
    private final Centers centers;
    private final FactoryCalendar calendar;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> backlog = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> scheduledAhead = new ConcurrentHashMap<>();
    private final AtomicLong held = new AtomicLong();

    DeliveryGauges(ScheduleQueries schedule, Centers centers, FactoryCalendar calendar, Clock clock, MeterRegistry meters) {
        this.schedule = schedule;
        this.centers = centers;
        this.calendar = calendar;
        this.clock = clock;
        this.meters = meters;
        Gauge.builder("su7.delivery.held", held, AtomicLong::get)
                .description("built units held until their PreorderPlaced arrives").register(meters);
    }

    @Scheduled(fixedDelayString = "${su7.delivery.outlook.metrics-refresh:5s}")
    void refresh() {
        try {
            var backlogs = schedule.backlogs(calendar.today(clock));
            var none = new ScheduleQueries.Backlog(0, 0);
            for (Center center : centers.all()) {
                ScheduleQueries.Backlog at = backlogs.getOrDefault(center.city(), none);
                gauge(backlog, "su7.delivery.backlog", "preorders at the centre whose unit is not built yet", center.city())
                        .set(at.awaitingUnits());
                gauge(scheduledAhead, "su7.delivery.scheduled.ahead", "hand-overs booked at the centre from today on", center.city())
                        .set(at.scheduledAhead());
            }
            held.set(schedule.heldUnits());
        } catch (RuntimeException e) {
            log.warn("delivery gauges not refreshed: {}", e.toString());
        }
    }

    /** The centre's gauge of this name, registered the first time it is asked for. */
    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String description, String city) {
        return values.computeIfAbsent(city, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tag("center", key).register(meters);
            return value;
        });
    }
}
