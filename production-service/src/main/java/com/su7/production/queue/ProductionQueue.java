package com.su7.production.queue;

import com.su7.contract.DeliveryCities;
import com.su7.contract.PreorderId;
import com.su7.events.Variant;
import com.su7.messaging.count.KeptCount;
import com.su7.messaging.count.KeptCounts;
import com.su7.production.shared.ProductionDays;
import com.su7.production.shared.ProductionProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The production queue in {@code production_queue}: first come, first served across all variants, by
 * placedAt, ties by preorder id. Built units stay in the table with their VIN and build date.
 */
@Repository
public class ProductionQueue {

    private static final String COLUMNS = """
            preorder_id, variant, delivery_city, placed_at, status, estimated_build_date, eta, vin, plant, built_at,
            delivery_center, delivery_date, delivery_revision, cancelled_at, released_vin""";

    private final JdbcTemplate jdbc;
    private final KeptCount length;
    private final ProductionDays days;
    private final int defaultTransitDays;

    ProductionQueue(JdbcTemplate jdbc, ProductionDays days, ProductionProperties properties, KeptCounts counts) {
        this.jdbc = jdbc;
        this.length = counts.in("queue_length_delta");
        this.days = days;
        this.defaultTransitDays = properties.eta().defaultTransitDays();
    }

    /**
     * Takes in those preorders not known already, in one statement, and returns those new: queued, or stored
     * cancelled (never queued) if a cancellation came first ({@code cancelledAt} by preorder).
     */
    List<QueuedPreorder> enqueue(List<QueuedPreorder> preorders, Instant queuedAt, Map<PreorderId, Instant> cancelledAt) {
        Set<UUID> added = new HashSet<>(jdbc.queryForList("""
                        insert into production_queue (preorder_id, variant, delivery_city, city_key, placed_at, queued_at, status,
                                                      cancelled_at, traceparent)
                        select id, variant, city, city_key, placed_at, ?::timestamptz,
                               case when cancelled_at is null then 'QUEUED' else 'CANCELLED' end, cancelled_at, traceparent
                        from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[])
                            as p(id, variant, city, city_key, placed_at, cancelled_at, traceparent)
                        on conflict (preorder_id) do nothing
                        returning preorder_id""", UUID.class,
                Timestamp.from(queuedAt),
                preorders.stream().map(preorder -> preorder.id().value()).toArray(UUID[]::new),
                preorders.stream().map(preorder -> preorder.variant().name()).toArray(String[]::new),
                preorders.stream().map(QueuedPreorder::deliveryCity).toArray(String[]::new),
                preorders.stream().map(preorder -> DeliveryCities.keyOf(preorder.deliveryCity())).toArray(String[]::new),
                preorders.stream().map(preorder -> preorder.placedAt().toString()).toArray(String[]::new),
                preorders.stream().map(preorder -> cancelledAt.get(preorder.id())).map(at -> at == null ? null : at.toString())
                        .toArray(String[]::new),
                preorders.stream().map(QueuedPreorder::traceparent).toArray(String[]::new)));
        return preorders.stream().filter(preorder -> added.contains(preorder.id().value())).toList();
    }

    /** The next preorders in line, locked until the caller's transaction ends. */
    public List<QueuedPreorder> nextInLine(int limit) {
        return jdbc.query("""
                        select preorder_id, variant, delivery_city, placed_at, traceparent, queued_at from production_queue
                        where status = 'QUEUED' order by placed_at, preorder_id limit ? for update""",
                QUEUED, limit);
    }

    /** The next preorders in line of one variant, locked until the caller's transaction ends. */
    List<QueuedPreorder> nextInLine(Variant variant, int limit) {
        return jdbc.query("""
                        select preorder_id, variant, delivery_city, placed_at, traceparent, queued_at from production_queue
                        where status = 'QUEUED' and variant = ? order by placed_at, preorder_id limit ? for update""",
                QUEUED, variant.name(), limit);
    }

    /**
     * Cancels the preorders (locked by the caller), in one statement: out of the queue, without unit, ETA or delivery;
     * a unit one held is kept as {@code released_vin}. One already cancelled stays as it was.
     */
    void cancel(Map<PreorderId, Instant> cancelledAt) {
        if (cancelledAt.isEmpty()) {
            return;
        }
        jdbc.update("""
                        update production_queue q
                        set status = 'CANCELLED', cancelled_at = c.cancelled_at, released_vin = q.vin, vin = null, plant = null,
                            built_at = null, built_on = null, estimated_build_date = null, eta = null,
                            delivery_center = null, delivery_date = null, delivery_revision = null
                        from unnest(?::uuid[], ?::timestamptz[]) as c(preorder_id, cancelled_at)
                        where q.preorder_id = c.preorder_id and q.status <> 'CANCELLED'""",
                cancelledAt.keySet().stream().map(PreorderId::value).toArray(UUID[]::new),
                cancelledAt.values().stream().map(Instant::toString).toArray(String[]::new));
    }

    /**
     * Marks queued preorders built, in one statement; ETA = build date + transit. Returns how many were
     * still queued (and so are built now).
     */
    public int markBuilt(List<BuiltUnit> units) {
        if (units.isEmpty()) {
            return 0;
        }
        return jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    update production_queue q
                    set status = 'BUILT', vin = u.vin, plant = u.plant, built_at = u.built_at, built_on = u.built_on,
                        estimated_build_date = u.built_on,
                        eta = u.built_on + coalesce((select t.transit_days from city_transit t where t.city_key = q.city_key), ?)
                    from unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::date[]) as u(preorder_id, vin, plant, built_at, built_on)
                    where q.preorder_id = u.preorder_id and q.status = 'QUEUED'""");
            statement.setInt(1, defaultTransitDays);
            statement.setArray(2, connection.createArrayOf("uuid", units.stream().map(unit -> unit.preorderId().value()).toArray()));
            statement.setArray(3, connection.createArrayOf("text", units.stream().map(BuiltUnit::vin).toArray()));
            statement.setArray(4, connection.createArrayOf("text", units.stream().map(BuiltUnit::plant).toArray()));
            statement.setArray(5, connection.createArrayOf("timestamptz", units.stream().map(unit -> Timestamp.from(unit.builtAt())).toArray()));
            statement.setArray(6, connection.createArrayOf("date", units.stream().map(unit -> Date.valueOf(unit.builtOn())).toArray()));
            return statement;
        });
    }

    public Optional<PreorderState> find(PreorderId id) {
        return jdbc.query("""
                        select %s,
                               case when q.status = 'QUEUED' then 1 + (
                                   select count(*) from production_queue a
                                   where a.status = 'QUEUED' and (a.placed_at, a.preorder_id) < (q.placed_at, q.preorder_id))
                               end as queue_position
                        from production_queue q where preorder_id = ?""".formatted(COLUMNS),
                STATE, id.value()).stream().findFirst();
    }

    /** The preorder's row locked until the caller's transaction ends. */
    public Optional<PreorderState> findForUpdate(PreorderId id) {
        return jdbc.query("select %s, null as queue_position from production_queue where preorder_id = ? for update".formatted(COLUMNS),
                STATE, id.value()).stream().findFirst();
    }

    /** Which preorder holds the VIN, if any. */
    public Optional<PreorderId> holderOf(String vin) {
        return jdbc.queryForList("select preorder_id from production_queue where vin = ?", UUID.class, vin).stream()
                .findFirst().map(PreorderId::new);
    }

    /** {@link #findForUpdate} for many, locking in id order (so concurrent batches cannot deadlock on them). */
    Map<PreorderId, PreorderState> findAllForUpdate(List<PreorderId> ids) {
        Map<PreorderId, PreorderState> found = new LinkedHashMap<>();
        jdbc.query("select %s, null as queue_position from production_queue where preorder_id = any(?) order by preorder_id for update".formatted(COLUMNS),
                STATE, (Object) ids.stream().map(PreorderId::value).toArray(UUID[]::new)).forEach(state -> found.put(state.id(), state));
        return found;
    }

    record DeliveryBooking(PreorderId id, String deliveryCenter, LocalDate deliveryDate, int revision) {
    }

    /** {@link #scheduleDelivery} for many, with one statement; returns the ids whose schedule was applied. */
    List<UUID> scheduleDeliveries(List<DeliveryBooking> bookings) {
        return jdbc.queryForList("""
                        update production_queue q
                        set status = 'DELIVERY_SCHEDULED', delivery_center = b.center, delivery_date = b.day, delivery_revision = b.revision, eta = b.day
                        from unnest(?::uuid[], ?::text[], ?::date[], ?::int[]) as b(id, center, day, revision)
                        where q.preorder_id = b.id and q.status in ('BUILT', 'DELIVERY_SCHEDULED') and (q.delivery_revision is null or q.delivery_revision < b.revision)
                        returning q.preorder_id""", UUID.class,
                bookings.stream().map(booking -> booking.id().value()).toArray(UUID[]::new),
                bookings.stream().map(DeliveryBooking::deliveryCenter).toArray(String[]::new),
                bookings.stream().map(booking -> booking.deliveryDate().toString()).toArray(String[]::new),
                bookings.stream().map(DeliveryBooking::revision).toArray(Integer[]::new));
    }

    boolean scheduleDelivery(PreorderId id, String deliveryCenter, LocalDate deliveryDate, int revision) {
        return jdbc.update("""
                        update production_queue
                        set status = 'DELIVERY_SCHEDULED', delivery_center = ?, delivery_date = ?, delivery_revision = ?, eta = ?
                        where preorder_id = ? and status in ('BUILT', 'DELIVERY_SCHEDULED') and (delivery_revision is null or delivery_revision < ?)""",
                deliveryCenter, Date.valueOf(deliveryDate), revision, Date.valueOf(deliveryDate), id.value(), revision) == 1;
    }

    /** The preorders queued, as this transaction sees them: a sum of the few deltas triggers keep (V10). */
    public long length() {
        return length.total();
    }

    public Map<Variant, Long> lengthByVariant() {
        Map<Variant, Long> lengths = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            lengths.put(variant, 0L);
        }
        jdbc.query("select variant, count(*) from production_queue where status = 'QUEUED' group by variant",
                row -> {
                    lengths.put(Variant.valueOf(row.getString(1)), row.getLong(2));
                });
        return lengths;
    }

    /**
     * Units built on each factory date in [from, to], every date listed: those preorders hold and the spares (a
     * cancelled preorder's unit counts once, wherever it went).
     */
    public Map<LocalDate, Long> builtPerDay(LocalDate from, LocalDate to) {
        Map<LocalDate, Long> built = new LinkedHashMap<>();
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            built.put(date, 0L);
        }
        jdbc.query("""
                        select built_on, count(*) from (
                            select built_on from production_queue where built_on between ? and ?
                            union all
                            select built_on from spare_unit where built_on between ? and ?) as units
                        group by built_on""",
                row -> {
                    built.put(row.getDate(1).toLocalDate(), row.getLong(2));
                },
                Date.valueOf(from), Date.valueOf(to), Date.valueOf(from), Date.valueOf(to));
        return built;
    }

    /**
     * Preorders placed on each factory date in [from, to], every date listed, whatever became of them (queued, built,
     * cancelled). One range of {@code production_queue_placed_at}, so the cost follows the days asked for, not the history.
     */
    public Map<LocalDate, Long> placedPerDay(LocalDate from, LocalDate to) {
        Map<LocalDate, Long> placed = new LinkedHashMap<>();
        List<String> starts = new ArrayList<>();
        for (LocalDate date = from; !date.isAfter(to.plusDays(1)); date = date.plusDays(1)) {
            starts.add(days.calendar().startOf(date).toString());
            if (!date.isAfter(to)) {
                placed.put(date, 0L);
            }
        }
        // width_bucket numbers the days from 1: the first date's [its start, the next start), then the second's, and so on
        jdbc.query("""
                        select width_bucket(placed_at, ?::timestamptz[]), count(*) from production_queue
                        where placed_at >= ?::timestamptz and placed_at < ?::timestamptz
                        group by 1""",
                row -> {
                    placed.put(from.plusDays(row.getInt(1) - 1L), row.getLong(2));
                },
                starts.toArray(String[]::new), starts.getFirst(), starts.getLast());
        return placed;
    }

    private static final RowMapper<QueuedPreorder> QUEUED = (row, index) -> new QueuedPreorder(new PreorderId(row.getObject(1, UUID.class)),
            Variant.valueOf(row.getString(2)), row.getString(3), row.getTimestamp(4).toInstant(), row.getString(5),
            row.getTimestamp(6).toInstant());

    private static final RowMapper<PreorderState> STATE = ProductionQueue::state;

    private static PreorderState state(ResultSet row, int index) throws SQLException {
        Number position = (Number) row.getObject("queue_position");
        return new PreorderState(new PreorderId(row.getObject("preorder_id", UUID.class)), Variant.valueOf(row.getString("variant")),
                row.getString("delivery_city"), row.getTimestamp("placed_at").toInstant(),
                PreorderStatus.valueOf(row.getString("status")), position == null ? null : position.longValue(),
                localDate(row.getDate("estimated_build_date")), localDate(row.getDate("eta")), row.getString("vin"),
                row.getString("plant"), row.getTimestamp("built_at") == null ? null : row.getTimestamp("built_at").toInstant(),
                row.getString("delivery_center"), localDate(row.getDate("delivery_date")),
                (Integer) row.getObject("delivery_revision"),
                row.getTimestamp("cancelled_at") == null ? null : row.getTimestamp("cancelled_at").toInstant(),
                row.getString("released_vin"));
    }

    private static LocalDate localDate(Date date) {
        return date == null ? null : date.toLocalDate();
    }
}
