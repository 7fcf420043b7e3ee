package com.su7.delivery.outlook;

import com.su7.contract.FactoryCalendar;
import com.su7.delivery.center.Center;
import com.su7.delivery.center.Centers;
import com.su7.delivery.schedule.ScheduleQueries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code su7.delivery.backlog} (preorders awaiting their unit, per centre), {@code su7.delivery.scheduled.ahead}
 * (hand-overs booked from today on, per centre) and {@code su7.delivery.held} (units whose preorder has not
 * arrived): recomputed on a schedule, so a scrape never queries the database.
 */
@Component
class DeliveryGauges {

    private static final Logger log = LoggerFactory.getLogger(DeliveryGauges.class);

    private final ScheduleQueries schedule;
    private final Centers centers;
    private final FactoryCalendar calendar;
    private final Clock clock;
    private final MultiGauge backlog;
    private final MultiGauge scheduledAhead;
    private final AtomicLong held = new AtomicLong();

    DeliveryGauges(ScheduleQueries schedule, Centers centers, FactoryCalendar calendar, Clock clock, MeterRegistry meters) {
        this.schedule = schedule;
        this.centers = centers;
        this.calendar = calendar;
        this.clock = clock;
        this.backlog = MultiGauge.builder("su7.delivery.backlog")
                .description("preorders at the centre whose unit is not built yet").register(meters);
        this.scheduledAhead = MultiGauge.builder("su7.delivery.scheduled.ahead")
                .description("hand-overs booked at the centre from today on").register(meters);
        Gauge.builder("su7.delivery.held", held, AtomicLong::get)
                .description("built units held until their PreorderPlaced arrives").register(meters);
    }

    @Scheduled(fixedDelayString = "${su7.delivery.outlook.metrics-refresh:5s}")
    void refresh() {
        try {
            var backlogs = schedule.backlogs(calendar.today(clock));
            var none = new ScheduleQueries.Backlog(0, 0);
            List<String> cities = centers.all().stream().map(Center::city).toList();
            backlog.register(cities.stream()
                    .map(city -> MultiGauge.Row.of(Tags.of("center", city), backlogs.getOrDefault(city, none).awaitingUnits()))
                    .toList(), true);
            scheduledAhead.register(cities.stream()
                    .map(city -> MultiGauge.Row.of(Tags.of("center", city), backlogs.getOrDefault(city, none).scheduledAhead()))
                    .toList(), true);
            held.set(schedule.heldUnits());
        } catch (RuntimeException e) {
            log.warn("delivery gauges not refreshed: {}", e.toString());
        }
    }
}
