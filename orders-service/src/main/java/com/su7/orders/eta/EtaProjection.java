package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.events.DeliveryScheduled;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.orders.transit.Transit;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The customer-facing ETA of every preorder, built only from events: estimated while PLACED, the build date plus
 * transit once BUILT, the scheduled date once DELIVERY_SCHEDULED (the highest revision wins). Every change is kept
 * in {@code eta_history}.
 * <p>
 * Facts are stored before they are applied ({@code unit_built}, {@code delivery_schedule}), so a UnitBuilt or a
 * DeliveryScheduled for a preorder not known yet is held and applied when the preorder is placed; applying the
 * stored facts is idempotent and does not depend on the order the events arrive in.
 */
@Component
public class EtaProjection {

    private static final Logger log = LoggerFactory.getLogger(EtaProjection.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final Transit transit;
    private final BuildRates rates;
    private final EtaRefresher refresher;
    private final EtaEstimator estimator;
    private final MeterRegistry meters;

    EtaProjection(JdbcClient jdbc, Clock clock, FactoryCalendar calendar, Transit transit, BuildRates rates,
                  EtaRefresher refresher, EtaProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.transit = transit;
        this.rates = rates;
        this.refresher = refresher;
        this.estimator = properties.estimator();
        this.meters = meters;
    }

    /** Starts the projection of a new preorder with its first estimate, then applies any facts held for it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Eta placed(UUID preorderId, Variant variant, String deliveryCity, Instant placedAt) {
        int transitDays = transit.daysTo(deliveryCity);
        queueDelta(variant, +1);
        // The unbuilt of the variant (with this one) less those placed after it: this one's place in the queue.
        long placedAfter = jdbc.sql("""
                        select count(*) from preorder_eta
                        where variant = ? and status = 'PLACED' and (placed_at, preorder_id) > (?, ?)""")
                .params(variant.name(), Timestamp.from(placedAt), preorderId).query(Long.class).single();
        long position = Math.max(1, unbuilt(variant) - placedAfter);
        Eta eta = estimator.estimate(position, rates.unitsPerDay(variant), calendar.today(clock), transitDays);
        Instant now = now();
        jdbc.sql("""
                        insert into preorder_eta (preorder_id, variant, transit_days, placed_at, status, eta_earliest, eta_latest, updated_at)
                        values (?, ?, ?, ?, 'PLACED', ?, ?, ?)""")
                .params(preorderId, variant.name(), transitDays, Timestamp.from(placedAt),
                        eta.earliest(), eta.latest(), Timestamp.from(now))
                .update();
        recordChange(preorderId, now, EtaCause.PLACED, null, eta);
        if (placedAfter > 0) {
            // Placed ahead of preorders that came in earlier (an app request with an earlier requestedAt): they move back.
            refresher.markDirty(variant);
        }
        boolean held = jdbc.sql("""
                        select exists (select 1 from unit_built where preorder_id = ?)
                            or exists (select 1 from delivery_schedule where preorder_id = ?)""")
                .params(preorderId, preorderId).query(Boolean.class).single();
        if (!held) {
            return eta;
        }
        applyBuilt(preorderId);
        applySchedule(preorderId);
        return state(preorderId).orElseThrow().eta();
    }

    /** Applies a UnitBuilt: stored as an observation of the build rate, and the preorder becomes BUILT. */
    @Transactional
    public void built(UnitBuilt event) {
        UUID preorderId = preorderIdOf(event.getPreorderId());
        Variant variant = event.getVariant();
        Instant builtAt = event.getBuiltAt().truncatedTo(ChronoUnit.MILLIS);
        Optional<Variant> ordered = jdbc.sql("select variant from preorder_eta where preorder_id = ?").param(preorderId)
                .query((rs, row) -> Variant.valueOf(rs.getString(1))).optional();
        if (ordered.isPresent() && ordered.get() != variant) {
            throw new PermanentEventException("unit %s was built as a %s but preorder %s is for a %s"
                    .formatted(event.getVin(), variant, preorderId, ordered.get()));
        }
        int stored = jdbc.sql("insert into unit_built (preorder_id, vin, variant, built_at) values (?, ?, ?, ?) on conflict (preorder_id) do nothing")
                .params(preorderId, event.getVin(), variant.name(), Timestamp.from(builtAt)).update();
        if (stored == 0) {
            log.info("preorder {} was already built; UnitBuilt {} (vin {}) changes nothing", preorderId, event.getEventId(), event.getVin());
            return;
        }
        refresher.markDirty(variant);
        if (ordered.isEmpty()) {
            log.info("UnitBuilt {} for preorder {} not known (yet): held until it is placed", event.getEventId(), preorderId);
            return;
        }
        applyBuilt(preorderId);
    }

    /** Applies a DeliveryScheduled: a higher revision replaces a lower one; a lower or equal one is ignored. */
    @Transactional
    public void scheduled(DeliveryScheduled event) {
        UUID preorderId = preorderIdOf(event.getPreorderId());
        int stored = jdbc.sql("""
                        insert into delivery_schedule (preorder_id, vin, delivery_center, delivery_date, revision)
                        values (?, ?, ?, ?, ?)
                        on conflict (preorder_id) do update
                        set vin = excluded.vin, delivery_center = excluded.delivery_center,
                            delivery_date = excluded.delivery_date, revision = excluded.revision
                        where excluded.revision > delivery_schedule.revision""")
                .params(preorderId, event.getVin(), event.getDeliveryCenter(), event.getDeliveryDate(),
                        event.getRevision())
                .update();
        if (stored == 0) {
            log.info("DeliveryScheduled {} for preorder {} has revision {}, not above the one applied: ignored",
                    event.getEventId(), preorderId, event.getRevision());
            return;
        }
        if (!applySchedule(preorderId)) {
            log.info("DeliveryScheduled {} for preorder {} not known (yet): held until it is placed", event.getEventId(), preorderId);
        }
    }

    public Optional<EtaState> state(UUID preorderId) {
        return jdbc.sql("select preorder_id, status, vin, delivery_center, eta_earliest, eta_latest from preorder_eta where preorder_id = ?")
                .param(preorderId).query(EtaProjection::stateOf).optional();
    }

    public Map<UUID, EtaState> states(Collection<UUID> preorderIds) {
        if (preorderIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("select preorder_id, status, vin, delivery_center, eta_earliest, eta_latest from preorder_eta where preorder_id = any(?)")
                .param(preorderIds.toArray(UUID[]::new)).query(EtaProjection::stateOf).stream()
                .collect(Collectors.toMap(EtaState::preorderId, Function.identity()));
    }

    public List<EtaChange> history(UUID preorderId) {
        return jdbc.sql("select at, cause, old_earliest, old_latest, new_earliest, new_latest from eta_history where preorder_id = ? order by id")
                .param(preorderId)
                .query((rs, row) -> new EtaChange(rs.getTimestamp("at").toInstant(), EtaCause.valueOf(rs.getString("cause")),
                        localDate(rs, "old_earliest"), localDate(rs, "old_latest"),
                        localDate(rs, "new_earliest"), localDate(rs, "new_latest")))
                .list();
    }

    public Map<ProjectionStatus, Long> countsByStatus() {
        Map<ProjectionStatus, Long> counts = new EnumMap<>(ProjectionStatus.class);
        for (ProjectionStatus status : ProjectionStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.sql("select status, count(*) from preorder_eta group by status")
                .query((rs, row) -> counts.put(ProjectionStatus.valueOf(rs.getString(1)), rs.getLong(2))).list();
        return counts;
    }

    /** Applies the stored UnitBuilt of the preorder, if there is one. */
    private void applyBuilt(UUID preorderId) {
        Optional<BuiltUnit> unit = jdbc.sql("select vin, variant, built_at from unit_built where preorder_id = ?").param(preorderId)
                .query((rs, row) -> new BuiltUnit(rs.getString("vin"), Variant.valueOf(rs.getString("variant")),
                        rs.getTimestamp("built_at").toInstant()))
                .optional();
        if (unit.isEmpty()) {
            return;
        }
        Row current = lock(preorderId).orElseThrow();
        if (current.variant() != unit.get().variant()) {
            // Checked when the event arrives; a held one that does not match is not the preorder's car.
            log.warn("held UnitBuilt of preorder {} is a {}, the preorder a {}: not applied", preorderId, unit.get().variant(), current.variant());
            return;
        }
        if (current.status() == ProjectionStatus.PLACED) {
            Eta eta = Eta.on(calendar.dateOf(unit.get().builtAt()).plusDays(current.transitDays()));
            jdbc.sql("update preorder_eta set status = 'BUILT', vin = ?, built_at = ?, eta_earliest = ?, eta_latest = ?, updated_at = ? where preorder_id = ?")
                    .params(unit.get().vin(), Timestamp.from(unit.get().builtAt()), eta.earliest(), eta.latest(),
                            Timestamp.from(now()), preorderId)
                    .update();
            queueDelta(current.variant(), -1);
            recordChange(preorderId, now(), EtaCause.BUILT, current.eta(), eta);
        } else {
            // Scheduled before its UnitBuilt arrived: the schedule's date stands, the build is only noted.
            jdbc.sql("update preorder_eta set vin = coalesce(vin, ?), built_at = coalesce(built_at, ?) where preorder_id = ?")
                    .params(unit.get().vin(), Timestamp.from(unit.get().builtAt()), preorderId).update();
        }
    }

    /** Applies the stored schedule of the preorder unless it is already applied; false if the preorder is unknown. */
    private boolean applySchedule(UUID preorderId) {
        Optional<Schedule> schedule = jdbc.sql("select vin, delivery_center, delivery_date, revision from delivery_schedule where preorder_id = ?")
                .param(preorderId)
                .query((rs, row) -> new Schedule(rs.getString("vin"), rs.getString("delivery_center"),
                        localDate(rs, "delivery_date"), rs.getInt("revision")))
                .optional();
        if (schedule.isEmpty()) {
            return true;
        }
        Optional<Row> locked = lock(preorderId);
        if (locked.isEmpty()) {
            return false;
        }
        Row current = locked.get();
        if (current.revision() != null && current.revision() >= schedule.get().revision()) {
            return true;
        }
        Eta eta = Eta.on(schedule.get().date());
        jdbc.sql("""
                        update preorder_eta set status = 'DELIVERY_SCHEDULED', vin = coalesce(vin, ?), delivery_center = ?,
                            schedule_revision = ?, eta_earliest = ?, eta_latest = ?, updated_at = ?
                        where preorder_id = ?""")
                .params(schedule.get().vin(), schedule.get().center(), schedule.get().revision(),
                        eta.earliest(), eta.latest(), Timestamp.from(now()), preorderId)
                .update();
        if (current.status() == ProjectionStatus.PLACED) {
            queueDelta(current.variant(), -1);
        }
        recordChange(preorderId, now(), current.revision() == null ? EtaCause.SCHEDULED : EtaCause.RESCHEDULED, current.eta(), eta);
        return true;
    }

    private Optional<Row> lock(UUID preorderId) {
        return jdbc.sql("select variant, transit_days, status, schedule_revision, eta_earliest, eta_latest from preorder_eta where preorder_id = ? for update")
                .param(preorderId)
                .query((rs, row) -> new Row(Variant.valueOf(rs.getString("variant")), rs.getInt("transit_days"),
                        ProjectionStatus.valueOf(rs.getString("status")), (Integer) rs.getObject("schedule_revision"),
                        new Eta(localDate(rs, "eta_earliest"), localDate(rs, "eta_latest"))))
                .optional();
    }

    /** How many preorders of the variant are unbuilt, as this transaction sees it. */
    long unbuilt(Variant variant) {
        return jdbc.sql("select coalesce(sum(delta), 0) from eta_queue_delta where variant = ?").param(variant.name())
                .query(Long.class).single();
    }

    private void queueDelta(Variant variant, long delta) {
        jdbc.sql("insert into eta_queue_delta (variant, delta) values (?, ?)").params(variant.name(), delta).update();
    }

    /** Keeps the change in the history, only if the ETA did change. */
    private void recordChange(UUID preorderId, Instant at, EtaCause cause, Eta old, Eta now) {
        if (now.equals(old)) {
            return;
        }
        jdbc.sql("""
                        insert into eta_history (preorder_id, at, cause, old_earliest, old_latest, new_earliest, new_latest)
                        values (?, ?, ?, ?, ?, ?, ?)""")
                .params(preorderId, Timestamp.from(at), cause.name(),
                        old == null ? null : old.earliest(), old == null ? null : old.latest(),
                        now.earliest(), now.latest())
                .update();
        meters.counter("su7.orders.eta.changes", "cause", cause.name()).increment();
        log.info("ETA of preorder {} {} -> {} ({})", preorderId, old, now, cause);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static UUID preorderIdOf(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException("preorder id %s is not a UUID".formatted(value), e);
        }
    }

    private static EtaState stateOf(ResultSet rs, int row) throws SQLException {
        return new EtaState(rs.getObject("preorder_id", UUID.class), ProjectionStatus.valueOf(rs.getString("status")),
                rs.getString("vin"), rs.getString("delivery_center"),
                new Eta(localDate(rs, "eta_earliest"), localDate(rs, "eta_latest")));
    }

    private static LocalDate localDate(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }

    private record Row(Variant variant, int transitDays, ProjectionStatus status, Integer revision, Eta eta) {
    }

    private record BuiltUnit(String vin, Variant variant, Instant builtAt) {
    }

    private record Schedule(String vin, String center, LocalDate date, int revision) {
    }
}
