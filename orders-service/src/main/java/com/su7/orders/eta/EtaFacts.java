package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.events.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The facts the projection is built from, as stored: every unit built ({@code unit_built}, also the observations of
 * the build rate, but for units reassigned from a cancelled preorder), each preorder's latest delivery schedule
 * ({@code delivery_schedule}) and every cancellation ({@code preorder_cancelled}), and how they apply to a preorder's
 * ETA. A cancelled preorder stays cancelled: units and schedules that come for it later change nothing. A fact is stored before it is applied, so one for a preorder not placed yet is held, and applied
 * through the same batch methods when the preorder is placed ({@link #applyHeld}); applying is idempotent and does
 * not depend on the order the facts arrive in.
 */
@Component
class EtaFacts {

    private static final Logger log = LoggerFactory.getLogger(EtaFacts.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final UnbuiltQueue queue;
    private final EtaHistory history;

    EtaFacts(JdbcClient jdbc, Clock clock, FactoryCalendar calendar, UnbuiltQueue queue, EtaHistory history) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.queue = queue;
        this.history = history;
    }

    /** A unit built, as {@code unit_built} keeps it; reassignedFrom is the cancelled preorder it was built for, if any. */
    record BuiltUnit(UUID preorderId, String vin, Variant variant, Instant builtAt, UUID reassignedFrom) {
    }

    /** A delivery schedule, as {@code delivery_schedule} keeps it. */
    record Schedule(UUID preorderId, String vin, String center, LocalDate date, int revision) {
    }

    /** Stores the units of preorders that have none yet, with one statement; returns those preorders. */
    Set<UUID> storeBuilt(List<BuiltUnit> units) {
        return new HashSet<>(jdbc.sql("""
                        insert into unit_built (preorder_id, vin, variant, built_at, reassigned_from)
                        select * from unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::uuid[])
                        on conflict (preorder_id) do nothing
                        returning preorder_id""")
                .params(units.stream().map(BuiltUnit::preorderId).toArray(UUID[]::new),
                        units.stream().map(BuiltUnit::vin).toArray(String[]::new),
                        units.stream().map(unit -> unit.variant().name()).toArray(String[]::new),
                        units.stream().map(unit -> unit.builtAt().toString()).toArray(String[]::new),
                        units.stream().map(BuiltUnit::reassignedFrom).toArray(UUID[]::new))
                .query(UUID.class).list());
    }

    /**
     * Stores the schedules above the revision stored for their preorders (or the first), with one statement; returns
     * those preorders.
     */
    Set<UUID> storeSchedules(List<Schedule> schedules) {
        return new HashSet<>(jdbc.sql("""
                        insert into delivery_schedule (preorder_id, vin, delivery_center, delivery_date, revision)
                        select * from unnest(?::uuid[], ?::text[], ?::text[], ?::date[], ?::int[])
                        on conflict (preorder_id) do update
                        set vin = excluded.vin, delivery_center = excluded.delivery_center,
                            delivery_date = excluded.delivery_date, revision = excluded.revision
                        where excluded.revision > delivery_schedule.revision
                        returning preorder_id""")
                .params(schedules.stream().map(Schedule::preorderId).toArray(UUID[]::new),
                        schedules.stream().map(Schedule::vin).toArray(String[]::new),
                        schedules.stream().map(Schedule::center).toArray(String[]::new),
                        schedules.stream().map(schedule -> schedule.date().toString()).toArray(String[]::new),
                        schedules.stream().map(Schedule::revision).toArray(Integer[]::new))
                .query(UUID.class).list());
    }

    /** Stores the cancellations of preorders not cancelled before, with one statement; returns those preorders. */
    Set<UUID> storeCancelled(Map<UUID, Instant> cancelledAt) {
        return new HashSet<>(jdbc.sql("""
                        insert into preorder_cancelled (preorder_id, cancelled_at)
                        select * from unnest(?::uuid[], ?::timestamptz[])
                        on conflict (preorder_id) do nothing
                        returning preorder_id""")
                .params(cancelledAt.keySet().toArray(UUID[]::new),
                        cancelledAt.values().stream().map(at -> at.truncatedTo(ChronoUnit.MILLIS).toString()).toArray(String[]::new))
                .query(UUID.class).list());
    }

    /**
     * Applies the units, schedules and cancellations held for preorders just placed: units first, as they happened, a
     * cancellation last (it ends the preorder's way whenever it came). Returns whether a held cancellation took a
     * preorder out of the unbuilt queue.
     */
    boolean applyHeld(UUID[] preorderIds) {
        applyBuilt(jdbc.sql("select preorder_id, vin, variant, built_at, reassigned_from from unit_built where preorder_id = any(?)")
                .param(preorderIds).query(EtaFacts::builtUnitOf).list());
        applySchedules(jdbc.sql("select preorder_id, vin, delivery_center, delivery_date, revision from delivery_schedule where preorder_id = any(?)")
                .param(preorderIds).query(EtaFacts::scheduleOf).list());
        return applyCancelled(jdbc.sql("select preorder_id from preorder_cancelled where preorder_id = any(?)")
                .param(preorderIds).query(UUID.class).list()) > 0;
    }

    /**
     * Applies stored cancellations to their preorders, with one update: each becomes CANCELLED, keeping the dates last
     * shown, and leaves the unbuilt queue if it was in it; returns how many left the queue (the preorders behind move
     * up). A cancellation whose preorder is not placed yet stays held.
     */
    int applyCancelled(List<UUID> preorderIds) {
        Map<UUID, Row> current = lockAll(preorderIds);
        List<EtaHistory.Change> changes = new ArrayList<>();
        int left = 0;
        for (UUID id : preorderIds) {
            Row row = current.get(id);
            if (row == null || row.status() == ProjectionStatus.CANCELLED) {
                continue;
            }
            if (row.status() == ProjectionStatus.PLACED) {
                left++;
            }
            changes.add(new EtaHistory.Change(id, EtaCause.CANCELLED, row.status(), row.eta(), ProjectionStatus.CANCELLED, row.eta()));
        }
        Instant now = now();
        if (!changes.isEmpty()) {
            jdbc.sql("update preorder_eta set status = 'CANCELLED', updated_at = ? where preorder_id = any(?)")
                    .params(Timestamp.from(now), changes.stream().map(EtaHistory.Change::preorderId).toArray(UUID[]::new))
                    .update();
        }
        queue.left(left);
        history.record(now, changes);
        return left;
    }

    /**
     * Applies stored units to their preorders, with up to two updates: a PLACED preorder becomes BUILT with the build
     * date plus transit; one scheduled before its unit arrived keeps the schedule's date and gains the VIN and build
     * time. A unit whose preorder is not placed yet stays held.
     */
    void applyBuilt(List<BuiltUnit> units) {
        Map<UUID, Row> current = lockAll(units.stream().map(BuiltUnit::preorderId).toList());
        List<BuiltUnit> built = new ArrayList<>();
        List<BuiltUnit> noted = new ArrayList<>();
        int left = 0;
        List<EtaHistory.Change> changes = new ArrayList<>();
        for (BuiltUnit unit : units) {
            Row row = current.get(unit.preorderId());
            if (row == null) {
                continue;
            }
            if (row.status() == ProjectionStatus.CANCELLED) {
                log.info("preorder {} is cancelled: unit {} changes nothing (production gives it to the next customer)", unit.preorderId(), unit.vin());
            } else if (row.variant() != unit.variant()) {
                // Checked when the event arrives; a held one that does not match is not the preorder's car.
                log.warn("held UnitBuilt of preorder {} is a {}, the preorder a {}: not applied", unit.preorderId(), unit.variant(), row.variant());
            } else if (row.status() == ProjectionStatus.PLACED) {
                built.add(unit);
                left++;
                changes.add(new EtaHistory.Change(unit.preorderId(), EtaCause.BUILT, row.status(), row.eta(), ProjectionStatus.BUILT,
                        Eta.on(calendar.dateOf(unit.builtAt()).plusDays(row.transitDays()))));
            } else {
                noted.add(unit);
            }
        }
        Instant now = now();
        if (!built.isEmpty()) {
            jdbc.sql("""
                            update preorder_eta e set status = 'BUILT', vin = b.vin, built_at = b.built_at, eta_earliest = b.eta,
                                eta_latest = b.eta, updated_at = ?
                            from unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::date[]) as b(id, vin, built_at, eta)
                            where e.preorder_id = b.id""")
                    .params(Timestamp.from(now), built.stream().map(BuiltUnit::preorderId).toArray(UUID[]::new),
                            built.stream().map(BuiltUnit::vin).toArray(String[]::new),
                            built.stream().map(unit -> unit.builtAt().toString()).toArray(String[]::new),
                            changes.stream().map(change -> change.now().earliest().toString()).toArray(String[]::new))
                    .update();
        }
        if (!noted.isEmpty()) {
            jdbc.sql("""
                            update preorder_eta e set vin = coalesce(e.vin, n.vin), built_at = coalesce(e.built_at, n.built_at)
                            from unnest(?::uuid[], ?::text[], ?::timestamptz[]) as n(id, vin, built_at)
                            where e.preorder_id = n.id""")
                    .params(noted.stream().map(BuiltUnit::preorderId).toArray(UUID[]::new),
                            noted.stream().map(BuiltUnit::vin).toArray(String[]::new),
                            noted.stream().map(unit -> unit.builtAt().toString()).toArray(String[]::new))
                    .update();
        }
        queue.left(left);
        history.record(now, changes);
    }

    /**
     * Applies stored schedules above the revision their preorders show, with one update; a schedule whose preorder is
     * not placed yet stays held.
     */
    void applySchedules(List<Schedule> schedules) {
        Map<UUID, Row> current = lockAll(schedules.stream().map(Schedule::preorderId).toList());
        List<Schedule> applied = new ArrayList<>();
        int left = 0;
        List<EtaHistory.Change> changes = new ArrayList<>();
        for (Schedule schedule : schedules) {
            Row row = current.get(schedule.preorderId());
            if (row == null) {
                log.info("schedule revision {} of preorder {} not known (yet): held until it is placed", schedule.revision(), schedule.preorderId());
            } else if (row.status() == ProjectionStatus.CANCELLED) {
                log.info("preorder {} is cancelled: schedule revision {} changes nothing", schedule.preorderId(), schedule.revision());
            } else if (row.revision() == null || row.revision() < schedule.revision()) {
                applied.add(schedule);
                if (row.status() == ProjectionStatus.PLACED) {
                    left++;
                }
                changes.add(new EtaHistory.Change(schedule.preorderId(), row.revision() == null ? EtaCause.SCHEDULED : EtaCause.RESCHEDULED,
                        row.status(), row.eta(), ProjectionStatus.DELIVERY_SCHEDULED, Eta.on(schedule.date())));
            }
        }
        Instant now = now();
        if (!applied.isEmpty()) {
            jdbc.sql("""
                            update preorder_eta e set status = 'DELIVERY_SCHEDULED', vin = coalesce(e.vin, b.vin), delivery_center = b.center,
                                schedule_revision = b.revision, eta_earliest = b.day, eta_latest = b.day, updated_at = ?
                            from unnest(?::uuid[], ?::text[], ?::text[], ?::int[], ?::date[]) as b(id, vin, center, revision, day)
                            where e.preorder_id = b.id""")
                    .params(Timestamp.from(now),
                            applied.stream().map(Schedule::preorderId).toArray(UUID[]::new),
                            applied.stream().map(Schedule::vin).toArray(String[]::new),
                            applied.stream().map(Schedule::center).toArray(String[]::new),
                            applied.stream().map(Schedule::revision).toArray(Integer[]::new),
                            applied.stream().map(schedule -> schedule.date().toString()).toArray(String[]::new))
                    .update();
        }
        queue.left(left);
        history.record(now, changes);
    }

    /** Locks the preorders' rows in one statement, in id order (so concurrent batches cannot deadlock on them). */
    private Map<UUID, Row> lockAll(List<UUID> preorderIds) {
        if (preorderIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Row> rows = new HashMap<>();
        jdbc.sql("""
                        select preorder_id, variant, transit_days, status, schedule_revision, eta_earliest, eta_latest
                        from preorder_eta where preorder_id = any(?) order by preorder_id for update""")
                .param(preorderIds.toArray(UUID[]::new))
                .query((rs, row) -> rows.put(rs.getObject("preorder_id", UUID.class), new Row(Variant.valueOf(rs.getString("variant")),
                        rs.getInt("transit_days"), ProjectionStatus.valueOf(rs.getString("status")), (Integer) rs.getObject("schedule_revision"),
                        new Eta(rs.getObject("eta_earliest", LocalDate.class), rs.getObject("eta_latest", LocalDate.class)))))
                .list();
        return rows;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static BuiltUnit builtUnitOf(ResultSet rs, int row) throws SQLException {
        return new BuiltUnit(rs.getObject("preorder_id", UUID.class), rs.getString("vin"), Variant.valueOf(rs.getString("variant")),
                rs.getTimestamp("built_at").toInstant(), rs.getObject("reassigned_from", UUID.class));
    }

    private static Schedule scheduleOf(ResultSet rs, int row) throws SQLException {
        return new Schedule(rs.getObject("preorder_id", UUID.class), rs.getString("vin"), rs.getString("delivery_center"),
                rs.getObject("delivery_date", LocalDate.class), rs.getInt("revision"));
    }

    private record Row(Variant variant, int transitDays, ProjectionStatus status, Integer revision, Eta eta) {
    }
}
