package com.su7.delivery.outlook;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.ObservedBuildRate;
import com.su7.contract.PreorderId;
import com.su7.delivery.center.Center;
import com.su7.delivery.center.Centers;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The delivery-service's read side: ETA per preorder, the centres' load and backlog. Reads the schedule's tables. */
@Service
class Outlook {

    private final JdbcClient jdbc;
    private final Centers centers;
    private final FactoryCalendar calendar;
    private final Clock clock;
    private final OutlookProperties properties;

    Outlook(JdbcClient jdbc, Centers centers, FactoryCalendar calendar, Clock clock, OutlookProperties properties) {
        this.jdbc = jdbc;
        this.centers = centers;
        this.calendar = calendar;
        this.clock = clock;
        this.properties = properties;
    }

    record Estimate(LocalDate deliveryDate, String basis, Double buildRatePerDay, Long unitsAhead, LocalDate estimatedBuildDate) {
    }

    record PreorderDelivery(String preorderId, String status, String requestedCity, String centerCity, String center,
                            String vin, LocalDate buildDate, LocalDate deliveryDate, int revision, Estimate estimate) {
    }

    private record Row(String preorderId, String status, String requestedCity, String centerCity, Instant placedAt, String vin,
                       LocalDate buildDate, LocalDate deliveryDate, int revision) {
    }

    @Transactional(readOnly = true)
    PreorderDelivery preorder(PreorderId preorderId) {
        Row row = jdbc.sql("""
                        select preorder_id, status, requested_city, center_city, placed_at, vin, build_date, delivery_date, revision
                        from delivery_preorder where preorder_id = ?""")
                .param(preorderId.toString())
                .query((rs, n) -> new Row(rs.getString("preorder_id"), rs.getString("status"), rs.getString("requested_city"),
                        rs.getString("center_city"), Optional.ofNullable(rs.getTimestamp("placed_at")).map(Timestamp::toInstant).orElse(null),
                        rs.getString("vin"), rs.getObject("build_date", LocalDate.class), rs.getObject("delivery_date", LocalDate.class),
                        rs.getInt("revision")))
                .optional().orElseThrow(() -> new UnknownPreorderException(preorderId.toString()));
        Center center = row.centerCity() == null ? null : centers.get(row.centerCity());
        Estimate estimate = switch (row.status()) {
            case "SCHEDULED" -> new Estimate(row.deliveryDate(), "SCHEDULED", null, null, row.buildDate());
            case "AWAITING_UNIT" -> estimate(row, center);
            default -> new Estimate(null, "HELD_UNTIL_PREORDER_ARRIVES", null, null, row.buildDate());
        };
        return new PreorderDelivery(row.preorderId(), row.status(), row.requestedCity(), row.centerCity(),
                center == null ? null : center.name(), row.vin(), row.buildDate(), row.deliveryDate(), row.revision(), estimate);
    }

    private Estimate estimate(Row row, Center center) {
        BuildRate rate = buildRate();
        if (!rate.known()) {
            return new Estimate(null, "NO_BUILDS_OBSERVED_YET", null, null, null);
        }
        LocalDate today = calendar.today(clock);
        long unitsAhead = jdbc.sql("""
                        select count(*) from delivery_preorder
                        where status = 'AWAITING_UNIT' and (placed_at, preorder_id) < (?, ?)""")
                .params(Timestamp.from(row.placedAt()), row.preorderId()).query(Long.class).single();
        long aheadAtCenter = jdbc.sql("""
                        select count(*) from delivery_preorder
                        where status = 'AWAITING_UNIT' and center_city = ? and (placed_at, preorder_id) < (?, ?)""")
                .params(center.city(), Timestamp.from(row.placedAt()), row.preorderId()).query(Long.class).single();
        EtaEstimate eta = EtaEstimate.of(today, rate, unitsAhead, aheadAtCenter, center.transitDays(), center.dailyCapacity(),
                loads(center.city(), today.plusDays(center.transitDays())));
        return new Estimate(eta.deliveryDate(), "BUILD_RATE_AND_CENTER_BACKLOG", Math.round(rate.unitsPerDay() * 100) / 100.0,
                unitsAhead, eta.estimatedBuildDate());
    }

    /** The build rate observed in UnitBuilt, as every service that estimates from it counts it ({@link ObservedBuildRate}). */
    BuildRate buildRate() {
        Duration dayLength = calendar.dayLength();
        Builds builds = jdbc.sql("select min(built_at), max(built_at) from delivery_preorder")
                .query((rs, n) -> new Builds(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2)))).single();
        Instant end = ObservedBuildRate.windowEnd(clock.instant(), builds.latest(), dayLength);
        long built = jdbc.sql("select count(*) from delivery_preorder where built_at > ? and built_at <= ?")
                .params(Timestamp.from(ObservedBuildRate.windowStart(end, properties.buildRateWindowDays(), dayLength)), Timestamp.from(end))
                .query(Long.class).single();
        return new BuildRate(ObservedBuildRate.of(built, builds.first(), end, properties.buildRateWindowDays(), dayLength).unitsPerDay());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** When the first and the latest unit seen were built; null before any. */
    private record Builds(Instant first, Instant latest) {
    }

    private Map<LocalDate, Integer> loads(String city, LocalDate from) {
        Map<LocalDate, Integer> loads = new HashMap<>();
        jdbc.sql("select day, load from center_day_load where city = ? and day >= ?").params(city, Date.valueOf(from))
                .query(rs -> {
                    loads.put(rs.getObject("day", LocalDate.class), rs.getInt("load"));
                });
        return loads;
    }

    record Day(LocalDate date, int scheduled, int free) {
    }

    record CenterSummary(String city, String name, int transitDays, int dailyCapacity, long awaitingUnits, long scheduledAhead,
                         List<Day> days) {
    }

    record Summary(LocalDate today, double buildRatePerDay, long heldUnits, List<CenterSummary> centers) {
    }

    record Backlog(long awaitingUnits, long scheduledAhead) {
    }

    @Transactional(readOnly = true)
    Summary summary(int days) {
        LocalDate today = calendar.today(clock);
        Map<String, Map<LocalDate, Integer>> loads = new HashMap<>();
        jdbc.sql("select city, day, load from center_day_load where day >= ? and day < ?")
                .params(Date.valueOf(today), Date.valueOf(today.plusDays(days)))
                .query(rs -> {
                    loads.computeIfAbsent(rs.getString("city"), city -> new HashMap<>())
                            .put(rs.getObject("day", LocalDate.class), rs.getInt("load"));
                });
        Map<String, Backlog> backlogs = backlogs(today);
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
        return new Summary(today, Math.round(buildRate().unitsPerDay() * 100) / 100.0, heldUnits(), summaries);
    }

    /** Per centre: preorders waiting for their unit, and hand-overs booked from today on. */
    Map<String, Backlog> backlogs(LocalDate today) {
        Map<String, Backlog> backlogs = new HashMap<>();
        jdbc.sql("""
                        select center_city,
                               count(*) filter (where status = 'AWAITING_UNIT') as awaiting,
                               count(*) filter (where status = 'SCHEDULED' and delivery_date >= ?) as ahead
                        from delivery_preorder
                        where status = 'AWAITING_UNIT' or (status = 'SCHEDULED' and delivery_date >= ?)
                        group by center_city""")
                .params(Date.valueOf(today), Date.valueOf(today))
                .query(rs -> {
                    backlogs.put(rs.getString("center_city"), new Backlog(rs.getLong("awaiting"), rs.getLong("ahead")));
                });
        return backlogs;
    }

    long heldUnits() {
        return jdbc.sql("select count(*) from delivery_preorder where status = 'HELD'").query(Long.class).single();
    }

    LocalDate today() {
        return calendar.today(clock);
    }
}
