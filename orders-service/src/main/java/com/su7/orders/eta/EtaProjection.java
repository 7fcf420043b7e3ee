package com.su7.orders.eta;

import com.su7.contract.DeliveryCities;
import com.su7.contract.FactoryCalendar;
import com.su7.contract.PreorderId;
import com.su7.events.DeliveryScheduled;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.messaging.inbox.PermanentEventException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowCallbackHandler;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private final BuildRates rates;
    private final EtaRefresher refresher;
    private final EtaEstimator estimator;
    private final MeterRegistry meters;

    EtaProjection(JdbcClient jdbc, Clock clock, FactoryCalendar calendar, BuildRates rates,
                  EtaRefresher refresher, EtaProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.rates = rates;
        this.refresher = refresher;
        this.estimator = properties.estimator();
        this.meters = meters;
    }

    /** A preorder just placed, for {@link #placedAll}. */
    public record NewPreorder(PreorderId preorderId, Variant variant, String deliveryCity, Instant placedAt) {
    }

    /** Queue order as PostgreSQL sorts {@code (placed_at, preorder_id)}: uuids compare as unsigned bytes. */
    private static final Comparator<NewPreorder> QUEUE_ORDER = Comparator.comparing(NewPreorder::placedAt)
            .thenComparing(preorder -> preorder.preorderId().value().getMostSignificantBits(), Long::compareUnsigned)
            .thenComparing(preorder -> preorder.preorderId().value().getLeastSignificantBits(), Long::compareUnsigned);

    /**
     * Starts the projection of new preorders with their first estimates, then applies any facts held for them, with a
     * fixed number of statements: each one's place in its variant's queue is the unbuilt count with the batch, less
     * the preorders (stored or in the batch) placed after it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void placedAll(List<NewPreorder> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<Variant, List<NewPreorder>> byVariant = batch.stream().collect(Collectors.groupingBy(NewPreorder::variant,
                () -> new EnumMap<>(Variant.class), Collectors.toList()));
        // Stored PLACED preorders queued behind a new one: those placed by a concurrent batch, or every one since an
        // app request's earlier requestedAt. One range read of preorder_eta_unbuilt from the batch's earliest
        // placement; counted here (a count per new preorder in SQL scanned every PLACED row: 1-3 s a batch).
        Instant firstPlaced = batch.stream().map(NewPreorder::placedAt).min(Comparator.naturalOrder()).orElseThrow();
        Map<Variant, List<NewPreorder>> storedSince = jdbc.sql("""
                        select preorder_id, variant, placed_at from preorder_eta
                        where status = 'PLACED' and variant = any(?) and placed_at >= ?::timestamptz""")
                .params(byVariant.keySet().stream().map(Variant::name).toArray(String[]::new), firstPlaced.toString())
                .query((rs, row) -> new NewPreorder(new PreorderId(rs.getObject(1, UUID.class)), Variant.valueOf(rs.getString(2)), null,
                        rs.getTimestamp(3).toInstant()))
                .stream().collect(Collectors.groupingBy(NewPreorder::variant, () -> new EnumMap<>(Variant.class), Collectors.toList()));
        Map<PreorderId, Long> queuedBehind = new HashMap<>();
        boolean storedBehindNew = false;
        for (Map.Entry<Variant, List<NewPreorder>> variant : byVariant.entrySet()) {
            List<NewPreorder> stored = storedSince.getOrDefault(variant.getKey(), List.of());
            List<NewPreorder> inOrder = new ArrayList<>(variant.getValue());
            inOrder.addAll(stored);
            inOrder.sort(QUEUE_ORDER);
            for (int i = 0; i < inOrder.size(); i++) {
                queuedBehind.put(inOrder.get(i).preorderId(), (long) (inOrder.size() - 1 - i));
            }
            NewPreorder firstNew = variant.getValue().stream().min(QUEUE_ORDER).orElseThrow();
            storedBehindNew |= stored.stream().anyMatch(preorder -> QUEUE_ORDER.compare(preorder, firstNew) > 0);
        }
        Map<Variant, Long> unbuilt = new EnumMap<>(Variant.class);
        jdbc.sql("select variant, coalesce(sum(delta), 0) from eta_queue_delta group by variant")
                .query((rs, row) -> unbuilt.put(Variant.valueOf(rs.getString(1)), rs.getLong(2))).list();
        LocalDate today = calendar.today(clock);
        Instant now = now();
        List<Eta> etas = new ArrayList<>(batch.size());
        List<Integer> transitDays = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            NewPreorder preorder = batch.get(i);
            long queued = unbuilt.getOrDefault(preorder.variant(), 0L) + byVariant.get(preorder.variant()).size();
            long position = Math.max(1, queued - queuedBehind.get(preorder.preorderId()));
            int transit = DeliveryCities.get(preorder.deliveryCity()).transitDays();
            transitDays.add(transit);
            etas.add(estimator.estimate(position, rates.unitsPerDay(preorder.variant()), today, transit));
        }
        jdbc.sql("insert into eta_queue_delta (variant, delta) select * from unnest(?::text[], ?::bigint[])")
                .params(byVariant.keySet().stream().map(Variant::name).toArray(String[]::new),
                        byVariant.values().stream().map(preorders -> (long) preorders.size()).toArray(Long[]::new))
                .update();
        String[] earliest = etas.stream().map(eta -> eta.earliest().toString()).toArray(String[]::new);
        String[] latest = etas.stream().map(eta -> eta.latest().toString()).toArray(String[]::new);
        UUID[] ids = batch.stream().map(preorder -> preorder.preorderId().value()).toArray(UUID[]::new);
        jdbc.sql("""
                        insert into preorder_eta (preorder_id, variant, transit_days, placed_at, status, eta_earliest, eta_latest, updated_at)
                        select id, variant, transit_days, placed_at, 'PLACED', earliest, latest, ?
                        from unnest(?::uuid[], ?::text[], ?::int[], ?::timestamptz[], ?::date[], ?::date[])
                            as b(id, variant, transit_days, placed_at, earliest, latest)""")
                .params(Timestamp.from(now), ids,
                        batch.stream().map(preorder -> preorder.variant().name()).toArray(String[]::new),
                        transitDays.toArray(Integer[]::new),
                        batch.stream().map(preorder -> preorder.placedAt().toString()).toArray(String[]::new),
                        earliest, latest)
                .update();
        jdbc.sql("""
                        insert into eta_history (preorder_id, at, cause, new_earliest, new_latest)
                        select id, ?, 'PLACED', earliest, latest from unnest(?::uuid[], ?::date[], ?::date[]) as b(id, earliest, latest)""")
                .params(Timestamp.from(now), ids, earliest, latest)
                .update();
        meters.counter("su7.orders.eta.changes", "cause", EtaCause.PLACED.name()).increment(batch.size());
        if (storedBehindNew) {
            // Placed ahead of preorders that came in earlier (an app request with an earlier requestedAt): they move back.
            byVariant.keySet().forEach(refresher::markDirty);
        }
        List<UUID> held = jdbc.sql("""
                        select preorder_id from unit_built where preorder_id = any(?)
                        union select preorder_id from delivery_schedule where preorder_id = any(?)""")
                .params(ids, ids).query(UUID.class).list();
        for (UUID preorderId : held) {
            applyBuilt(preorderId);
            applySchedule(preorderId);
        }
    }

    /**
     * Applies UnitBuilt events, with a fixed number of statements: each is stored as an observation of the build rate,
     * and its preorder becomes BUILT (or, not placed yet, the unit is held until it is). A batch that names a preorder
     * twice is applied event by event (it would change the same row twice in one statement).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void builtAll(List<UnitBuilt> events) {
        List<UUID> ids = events.stream().map(event -> preorderIdOf(event.getPreorderId())).toList();
        if (new HashSet<>(ids).size() < ids.size()) {
            events.forEach(event -> builtAll(List.of(event)));
            return;
        }
        Map<UUID, Variant> ordered = new HashMap<>();
        jdbc.sql("select preorder_id, variant from preorder_eta where preorder_id = any(?)").param(ids.toArray(UUID[]::new))
                .query((rs, row) -> ordered.put(rs.getObject(1, UUID.class), Variant.valueOf(rs.getString(2)))).list();
        for (int i = 0; i < events.size(); i++) {
            Variant variant = ordered.get(ids.get(i));
            if (variant != null && variant != events.get(i).getVariant()) {
                throw new PermanentEventException("unit %s was built as a %s but preorder %s is for a %s"
                        .formatted(events.get(i).getVin(), events.get(i).getVariant(), ids.get(i), variant));
            }
        }
        Set<UUID> stored = new HashSet<>(jdbc.sql("""
                        insert into unit_built (preorder_id, vin, variant, built_at)
                        select * from unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[])
                        on conflict (preorder_id) do nothing
                        returning preorder_id""")
                .params(ids.toArray(UUID[]::new),
                        events.stream().map(UnitBuilt::getVin).toArray(String[]::new),
                        events.stream().map(event -> event.getVariant().name()).toArray(String[]::new),
                        events.stream().map(event -> event.getBuiltAt().truncatedTo(ChronoUnit.MILLIS).toString()).toArray(String[]::new))
                .query(UUID.class).list());
        for (int i = 0; i < events.size(); i++) {
            UUID id = ids.get(i);
            if (!stored.contains(id)) {
                log.info("preorder {} was already built; UnitBuilt {} (vin {}) changes nothing", id, events.get(i).getEventId(), events.get(i).getVin());
            } else {
                refresher.markDirty(events.get(i).getVariant());
                if (!ordered.containsKey(id)) {
                    log.info("UnitBuilt {} for preorder {} not known (yet): held until it is placed", events.get(i).getEventId(), id);
                }
            }
        }
        List<UUID> toApply = ids.stream().filter(id -> stored.contains(id) && ordered.containsKey(id)).toList();
        if (toApply.isEmpty()) {
            return;
        }
        Map<UUID, Row> current = lockAll(toApply);
        Instant now = now();
        List<UUID> builtIds = new ArrayList<>();
        List<String> vins = new ArrayList<>();
        List<String> builtAts = new ArrayList<>();
        List<String> dates = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        Map<Variant, Long> deltas = new EnumMap<>(Variant.class);
        for (int i = 0; i < events.size(); i++) {
            UUID id = ids.get(i);
            Row row = current.get(id);
            if (row == null) {
                continue; // held (not placed yet) or already built
            }
            UnitBuilt event = events.get(i);
            Instant builtAt = event.getBuiltAt().truncatedTo(ChronoUnit.MILLIS);
            if (row.status() == ProjectionStatus.PLACED) {
                Eta eta = Eta.on(calendar.dateOf(builtAt).plusDays(row.transitDays()));
                builtIds.add(id);
                vins.add(event.getVin());
                builtAts.add(builtAt.toString());
                dates.add(eta.earliest().toString());
                deltas.merge(row.variant(), -1L, Long::sum);
                changes.add(new Change(id, EtaCause.BUILT, row.eta(), eta));
            } else {
                // Scheduled before its UnitBuilt arrived: the schedule's date stands, the build is only noted.
                jdbc.sql("update preorder_eta set vin = coalesce(vin, ?), built_at = coalesce(built_at, ?) where preorder_id = ?")
                        .params(event.getVin(), Timestamp.from(builtAt), id).update();
            }
        }
        if (!builtIds.isEmpty()) {
            jdbc.sql("""
                            update preorder_eta e set status = 'BUILT', vin = b.vin, built_at = b.built_at, eta_earliest = b.eta,
                                eta_latest = b.eta, updated_at = ?
                            from unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::date[]) as b(id, vin, built_at, eta)
                            where e.preorder_id = b.id""")
                    .params(Timestamp.from(now), builtIds.toArray(UUID[]::new), vins.toArray(String[]::new),
                            builtAts.toArray(String[]::new), dates.toArray(String[]::new))
                    .update();
        }
        queueDeltas(deltas);
        recordChanges(now, changes);
    }

    /**
     * Applies DeliveryScheduled events, with a fixed number of statements: a higher revision replaces a lower one; a
     * lower or equal one is ignored. A batch that names a preorder twice (a reschedule right behind its schedule) is
     * applied event by event, so its history keeps both changes.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void scheduledAll(List<DeliveryScheduled> events) {
        List<UUID> ids = events.stream().map(event -> preorderIdOf(event.getPreorderId())).toList();
        if (new HashSet<>(ids).size() < ids.size()) {
            events.forEach(event -> scheduledAll(List.of(event)));
            return;
        }
        Set<UUID> stored = new HashSet<>(jdbc.sql("""
                        insert into delivery_schedule (preorder_id, vin, delivery_center, delivery_date, revision)
                        select * from unnest(?::uuid[], ?::text[], ?::text[], ?::date[], ?::int[])
                        on conflict (preorder_id) do update
                        set vin = excluded.vin, delivery_center = excluded.delivery_center,
                            delivery_date = excluded.delivery_date, revision = excluded.revision
                        where excluded.revision > delivery_schedule.revision
                        returning preorder_id""")
                .params(ids.toArray(UUID[]::new),
                        events.stream().map(DeliveryScheduled::getVin).toArray(String[]::new),
                        events.stream().map(DeliveryScheduled::getDeliveryCenter).toArray(String[]::new),
                        events.stream().map(event -> event.getDeliveryDate().toString()).toArray(String[]::new),
                        events.stream().map(DeliveryScheduled::getRevision).toArray(Integer[]::new))
                .query(UUID.class).list());
        Map<UUID, Row> current = lockAll(ids.stream().filter(stored::contains).toList());
        Instant now = now();
        List<DeliveryScheduled> applied = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        Map<Variant, Long> deltas = new EnumMap<>(Variant.class);
        for (int i = 0; i < events.size(); i++) {
            DeliveryScheduled event = events.get(i);
            UUID id = ids.get(i);
            Row row = current.get(id);
            if (!stored.contains(id)) {
                log.info("DeliveryScheduled {} for preorder {} has revision {}, not above the one applied: ignored",
                        event.getEventId(), id, event.getRevision());
            } else if (row == null) {
                log.info("DeliveryScheduled {} for preorder {} not known (yet): held until it is placed", event.getEventId(), id);
            } else if (row.revision() == null || row.revision() < event.getRevision()) {
                applied.add(event);
                if (row.status() == ProjectionStatus.PLACED) {
                    deltas.merge(row.variant(), -1L, Long::sum);
                }
                changes.add(new Change(id, row.revision() == null ? EtaCause.SCHEDULED : EtaCause.RESCHEDULED, row.eta(),
                        Eta.on(event.getDeliveryDate())));
            }
        }
        if (!applied.isEmpty()) {
            jdbc.sql("""
                            update preorder_eta e set status = 'DELIVERY_SCHEDULED', vin = coalesce(e.vin, b.vin), delivery_center = b.center,
                                schedule_revision = b.revision, eta_earliest = b.day, eta_latest = b.day, updated_at = ?
                            from unnest(?::uuid[], ?::text[], ?::text[], ?::int[], ?::date[]) as b(id, vin, center, revision, day)
                            where e.preorder_id = b.id""")
                    .params(Timestamp.from(now),
                            applied.stream().map(event -> UUID.fromString(event.getPreorderId())).toArray(UUID[]::new),
                            applied.stream().map(DeliveryScheduled::getVin).toArray(String[]::new),
                            applied.stream().map(DeliveryScheduled::getDeliveryCenter).toArray(String[]::new),
                            applied.stream().map(DeliveryScheduled::getRevision).toArray(Integer[]::new),
                            applied.stream().map(event -> event.getDeliveryDate().toString()).toArray(String[]::new))
                    .update();
        }
        queueDeltas(deltas);
        recordChanges(now, changes);
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
                .query((rs, row) -> rows.put(rs.getObject("preorder_id", UUID.class), rowOf(rs)))
                .list();
        return rows;
    }

    private void queueDeltas(Map<Variant, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        jdbc.sql("insert into eta_queue_delta (variant, delta) select * from unnest(?::text[], ?::bigint[])")
                .params(deltas.keySet().stream().map(Variant::name).toArray(String[]::new), deltas.values().toArray(Long[]::new))
                .update();
    }

    /** {@link #recordChange} for many, with one statement. */
    private void recordChanges(Instant at, List<Change> changes) {
        List<Change> real = changes.stream().filter(change -> !change.now().equals(change.old())).toList();
        if (real.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into eta_history (preorder_id, at, cause, old_earliest, old_latest, new_earliest, new_latest)
                        select id, ?, cause, old_earliest, old_latest, new_earliest, new_latest
                        from unnest(?::uuid[], ?::text[], ?::date[], ?::date[], ?::date[], ?::date[])
                            as c(id, cause, old_earliest, old_latest, new_earliest, new_latest)""")
                .params(Timestamp.from(at),
                        real.stream().map(Change::preorderId).toArray(UUID[]::new),
                        real.stream().map(change -> change.cause().name()).toArray(String[]::new),
                        real.stream().map(change -> change.old() == null ? null : change.old().earliest().toString()).toArray(String[]::new),
                        real.stream().map(change -> change.old() == null ? null : change.old().latest().toString()).toArray(String[]::new),
                        real.stream().map(change -> change.now().earliest().toString()).toArray(String[]::new),
                        real.stream().map(change -> change.now().latest().toString()).toArray(String[]::new))
                .update();
        real.stream().collect(Collectors.groupingBy(Change::cause, Collectors.counting()))
                .forEach((cause, count) -> meters.counter("su7.orders.eta.changes", "cause", cause.name()).increment(count));
        if (log.isDebugEnabled()) {
            real.forEach(change -> log.debug("ETA of preorder {} {} -> {} ({})", change.preorderId(), change.old(), change.now(), change.cause()));
        }
    }

    private record Change(UUID preorderId, EtaCause cause, Eta old, Eta now) {
    }

    public Map<PreorderId, EtaState> states(Collection<PreorderId> preorderIds) {
        if (preorderIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("select preorder_id, status, vin, delivery_center, eta_earliest, eta_latest from preorder_eta where preorder_id = any(?)")
                .param(preorderIds.stream().map(PreorderId::value).toArray(UUID[]::new)).query(EtaProjection::stateOf).stream()
                .collect(Collectors.toMap(EtaState::preorderId, Function.identity()));
    }

    /** The ETA histories of many preorders with one statement, each oldest first; a preorder without one is absent. */
    public Map<PreorderId, List<EtaChange>> histories(Collection<PreorderId> preorderIds) {
        if (preorderIds.isEmpty()) {
            return Map.of();
        }
        Map<PreorderId, List<EtaChange>> histories = new HashMap<>();
        jdbc.sql("""
                        select preorder_id, at, cause, old_earliest, old_latest, new_earliest, new_latest from eta_history
                        where preorder_id = any(?) order by preorder_id, id""")
                .param(preorderIds.stream().map(PreorderId::value).toArray(UUID[]::new))
                .query((RowCallbackHandler) rs -> histories.computeIfAbsent(new PreorderId(rs.getObject("preorder_id", UUID.class)),
                        id -> new ArrayList<>()).add(changeOf(rs)));
        return histories;
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

    /** Applies the stored schedule of the preorder, if there is one and it is not applied yet. */
    private void applySchedule(UUID preorderId) {
        Optional<Schedule> schedule = jdbc.sql("select vin, delivery_center, delivery_date, revision from delivery_schedule where preorder_id = ?")
                .param(preorderId)
                .query((rs, row) -> new Schedule(rs.getString("vin"), rs.getString("delivery_center"),
                        localDate(rs, "delivery_date"), rs.getInt("revision")))
                .optional();
        if (schedule.isEmpty()) {
            return;
        }
        Row current = lock(preorderId).orElseThrow();
        if (current.revision() != null && current.revision() >= schedule.get().revision()) {
            return;
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
    }

    private Optional<Row> lock(UUID preorderId) {
        return jdbc.sql("select variant, transit_days, status, schedule_revision, eta_earliest, eta_latest from preorder_eta where preorder_id = ? for update")
                .param(preorderId)
                .query((rs, row) -> rowOf(rs))
                .optional();
    }

    private static Row rowOf(ResultSet rs) throws SQLException {
        return new Row(Variant.valueOf(rs.getString("variant")), rs.getInt("transit_days"),
                ProjectionStatus.valueOf(rs.getString("status")), (Integer) rs.getObject("schedule_revision"),
                new Eta(localDate(rs, "eta_earliest"), localDate(rs, "eta_latest")));
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
        log.debug("ETA of preorder {} {} -> {} ({})", preorderId, old, now, cause);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static UUID preorderIdOf(String value) {
        try {
            return PreorderId.parse(value).value();
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
    }

    private static EtaState stateOf(ResultSet rs, int row) throws SQLException {
        return new EtaState(new PreorderId(rs.getObject("preorder_id", UUID.class)), ProjectionStatus.valueOf(rs.getString("status")),
                rs.getString("vin"), rs.getString("delivery_center"),
                new Eta(localDate(rs, "eta_earliest"), localDate(rs, "eta_latest")));
    }

    private static EtaChange changeOf(ResultSet rs) throws SQLException {
        return new EtaChange(rs.getTimestamp("at").toInstant(), EtaCause.valueOf(rs.getString("cause")),
                localDate(rs, "old_earliest"), localDate(rs, "old_latest"), localDate(rs, "new_earliest"), localDate(rs, "new_latest"));
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
