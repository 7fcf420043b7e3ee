package com.su7.delivery.outlook;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.ObservedBuildRate;
import com.su7.contract.PreorderId;
import com.su7.delivery.center.Center;
import com.su7.delivery.center.Centers;
import com.su7.delivery.schedule.ScheduleQueries;
import com.su7.delivery.schedule.ScheduleQueries.Backlog;
import com.su7.delivery.schedule.ScheduleQueries.Builds;
import com.su7.delivery.schedule.ScheduleQueries.ScheduledPreorder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The delivery-service's read side: ETA per preorder, the centres' load and backlog, from what the schedule tells. */
@Service
class Outlook {

    private final ScheduleQueries schedule;
    private final Centers centers;
    private final FactoryCalendar calendar;
    private final Clock clock;
    private final OutlookProperties properties;

    Outlook(ScheduleQueries schedule, Centers centers, FactoryCalendar calendar, Clock clock, OutlookProperties properties) {
        this.schedule = schedule;
        this.centers = centers;
        this.calendar = calendar;
        this.clock = clock;
        this.properties = properties;
    }

    record Estimate(LocalDate deliveryDate, String basis, Double buildRatePerDay, Long unitsAhead, LocalDate estimatedBuildDate) {
    }

    record PreorderDelivery(String preorderId, String status, String requestedCity, String centerCity, String center,
                            String vin, LocalDate buildDate, LocalDate deliveryDate, int revision, Instant cancelledAt, Estimate estimate) {
    }

    @Transactional(readOnly = true)
    PreorderDelivery preorder(PreorderId preorderId) {
        ScheduledPreorder preorder = schedule.preorder(preorderId)
                .orElseThrow(() -> new UnknownPreorderException(preorderId.toString()));
        Center center = preorder.centerCity() == null ? null : centers.get(preorder.centerCity());
        Estimate estimate = switch (preorder.status()) {
            case "SCHEDULED" -> new Estimate(preorder.deliveryDate(), "SCHEDULED", null, null, preorder.buildDate());
            case "AWAITING_UNIT" -> estimate(preorder, center);
            case "HELD" -> new Estimate(null, "HELD_UNTIL_PREORDER_ARRIVES", null, null, preorder.buildDate());
            case "CANCELLED" -> new Estimate(null, "CANCELLED", null, null, null);
            default -> throw new IllegalStateException("preorder %s has status %s, which the outlook does not know"
                    .formatted(preorder.preorderId(), preorder.status()));
        };
        return new PreorderDelivery(preorder.preorderId().toString(), preorder.status(), preorder.requestedCity(), preorder.centerCity(),
                center == null ? null : center.name(), preorder.vin(), preorder.buildDate(), preorder.deliveryDate(),
                preorder.revision(), preorder.cancelledAt(), estimate);
    }

    private Estimate estimate(ScheduledPreorder preorder, Center center) {
        BuildRate rate = buildRate();
        if (!rate.known()) {
            return new Estimate(null, "NO_BUILDS_OBSERVED_YET", null, null, null);
        }
        LocalDate today = calendar.today(clock);
        long unitsAhead = schedule.awaitingAhead(preorder.placedAt(), preorder.preorderId());
        long aheadAtCenter = schedule.awaitingAheadAt(center.city(), preorder.placedAt(), preorder.preorderId());
        EtaEstimate eta = EtaEstimate.of(today, rate, unitsAhead, aheadAtCenter, center.transitDays(), center.dailyCapacity(),
                schedule.loads(center.city(), today.plusDays(center.transitDays())));
        return new Estimate(eta.deliveryDate(), "BUILD_RATE_AND_CENTER_BACKLOG", Math.round(rate.unitsPerDay() * 100) / 100.0,
                unitsAhead, eta.estimatedBuildDate());
    }

    /** The build rate observed in UnitBuilt, as every service that estimates from it counts it ({@link ObservedBuildRate}). */
    BuildRate buildRate() {
        Duration dayLength = calendar.dayLength();
        Builds builds = schedule.builds();
        Instant end = ObservedBuildRate.windowEndWhereEveryPartitionIsRead(clock.instant(), builds.everyPartitionReadUpTo());
        long built = schedule.unitsBuilt(ObservedBuildRate.windowStart(end, properties.buildRateWindowDays(), dayLength), end);
        return new BuildRate(ObservedBuildRate.of(built, builds.first(), end, properties.buildRateWindowDays(), dayLength).unitsPerDay());
    }

    record Day(LocalDate date, int scheduled, int free) {
    }

    record CenterSummary(String city, String name, int transitDays, int dailyCapacity, long awaitingUnits, long scheduledAhead,
                         List<Day> days) {
    }

    record Summary(LocalDate today, double buildRatePerDay, long heldUnits, List<CenterSummary> centers) {
    }

    @Transactional(readOnly = true)
    Summary summary(int days) {
        LocalDate today = calendar.today(clock);
        Map<String, Map<LocalDate, Integer>> loads = schedule.loads(today, today.plusDays(days));
        Map<String, Backlog> backlogs = schedule.backlogs(today);
        List<CenterSummary> summaries = new ArrayList<>();
        for (Center center : centers.all()) {
            Map<LocalDate, Integer> booked = loads.getOrDefault(center.city(), Map.of());
            List<Day> perDay = today.datesUntil(today.plusDays(days))
                    .map(day -> {
                        int scheduled = booked.getOrDefault(day, 0);
                        return new Day(day, scheduled, Math.max(0, center.dailyCapacity() - scheduled));
                    })
                    .toList();
            Backlog backlog = backlogs.getOrDefault(center.city(), new Backlog(0, 0));
            summaries.add(new CenterSummary(center.city(), center.name(), center.transitDays(), center.dailyCapacity(),
                    backlog.awaitingUnits(), backlog.scheduledAhead(), perDay));
        }
        return new Summary(today, Math.round(buildRate().unitsPerDay() * 100) / 100.0, schedule.heldUnits(), summaries);
    }
}
