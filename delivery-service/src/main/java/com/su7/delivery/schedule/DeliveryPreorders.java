package com.su7.delivery.schedule;

import com.su7.contract.PreorderId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The {@code delivery_preorder} table: one row per preorder, from whichever of its events came first. */
@Repository
class DeliveryPreorders {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    DeliveryPreorders(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    Optional<DeliveryPreorder> find(PreorderId preorderId) {
        return jdbc.sql("""
                        select preorder_id, status, center_city, placed_at, vin, build_date, delivery_date, revision
                        from delivery_preorder where preorder_id = ?""")
                .param(preorderId.toString()).query(DeliveryPreorders::map).optional();
    }

    Map<PreorderId, DeliveryPreorder> findAll(List<PreorderId> preorderIds) {
        return jdbc.sql("""
                        select preorder_id, status, center_city, placed_at, vin, build_date, delivery_date, revision
                        from delivery_preorder where preorder_id = any(?)""")
                .param(column(preorderIds, PreorderId::toString)).query(DeliveryPreorders::map).stream()
                .collect(Collectors.toMap(DeliveryPreorder::preorderId, Function.identity()));
    }

    record Awaiting(PreorderId preorderId, String requestedCity, String centerCity, String variant, Instant placedAt) {
    }

    /** Preorders seen first, whose unit is not built yet, with one statement. */
    void insertAwaitingAll(List<Awaiting> awaiting, Instant now) {
        jdbc.sql("""
                        insert into delivery_preorder (preorder_id, status, requested_city, center_city, variant, placed_at, updated_at)
                        select id, 'AWAITING_UNIT', requested_city, center_city, variant, placed_at, ?
                        from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                            as a(id, requested_city, center_city, variant, placed_at)""")
                .params(Timestamp.from(now), column(awaiting, row -> row.preorderId().toString()), column(awaiting, Awaiting::requestedCity),
                        column(awaiting, Awaiting::centerCity), column(awaiting, Awaiting::variant),
                        column(awaiting, preorder -> preorder.placedAt().toString()))
                .update();
    }

    /** @param reassignedFrom the cancelled preorder the unit was built for (UnitBuilt.reassignedFrom), or null */
    record Booking(PreorderId preorderId, String vin, Instant builtAt, LocalDate buildDate, String reassignedFrom, LocalDate deliveryDate) {
    }

    /** Awaiting preorders whose unit was built and booked, with one statement. */
    void scheduleAwaitingAll(List<Booking> bookings, Instant now) {
        List<String> updated = jdbc.sql("""
                        update delivery_preorder p
                        set status = 'SCHEDULED', vin = b.vin, built_at = b.built_at, build_date = b.build_date,
                            reassigned_from = b.reassigned_from, delivery_date = b.delivery_date, revision = 1, updated_at = ?
                        from unnest(?::text[], ?::text[], ?::timestamptz[], ?::date[], ?::text[], ?::date[])
                            as b(id, vin, built_at, build_date, reassigned_from, delivery_date)
                        where p.preorder_id = b.id and p.status = 'AWAITING_UNIT'
                        returning p.preorder_id""")
                .params(Timestamp.from(now), column(bookings, row -> row.preorderId().toString()), column(bookings, Booking::vin),
                        column(bookings, booking -> booking.builtAt().toString()),
                        column(bookings, booking -> booking.buildDate().toString()),
                        column(bookings, Booking::reassignedFrom),
                        column(bookings, booking -> booking.deliveryDate().toString()))
                .query(String.class).list();
        expectEach(updated, bookings, Booking::preorderId, "awaiting its unit");
    }

    /** @param reassignedFrom the cancelled preorder the unit was built for (UnitBuilt.reassignedFrom), or null */
    record Unit(PreorderId preorderId, String vin, String variant, Instant builtAt, LocalDate buildDate, String reassignedFrom) {
    }

    /** Units built before their preorder arrived, held, with one statement. */
    void insertHeldAll(List<Unit> units, Instant now) {
        jdbc.sql("""
                        insert into delivery_preorder (preorder_id, status, variant, vin, built_at, build_date, reassigned_from, updated_at)
                        select id, 'HELD', variant, vin, built_at, build_date, reassigned_from, ?
                        from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::date[], ?::text[])
                            as u(id, variant, vin, built_at, build_date, reassigned_from)""")
                .params(Timestamp.from(now), column(units, row -> row.preorderId().toString()), column(units, Unit::variant),
                        column(units, Unit::vin), column(units, unit -> unit.builtAt().toString()),
                        column(units, unit -> unit.buildDate().toString()), column(units, Unit::reassignedFrom))
                .update();
    }

    /**
     * Units reported for preorders cancelled before delivery saw them built, kept on the cancelled rows (which stay
     * cancelled and unscheduled): they were built, and the build rate counts them.
     */
    void keepUnitsOfCancelledAll(List<Unit> units, Instant now) {
        List<String> updated = jdbc.sql("""
                        update delivery_preorder p
                        set vin = u.vin, built_at = u.built_at, build_date = u.build_date, reassigned_from = u.reassigned_from,
                            updated_at = ?
                        from unnest(?::text[], ?::text[], ?::timestamptz[], ?::date[], ?::text[])
                            as u(id, vin, built_at, build_date, reassigned_from)
                        where p.preorder_id = u.id and p.status = 'CANCELLED' and p.vin is null
                        returning p.preorder_id""")
                .params(Timestamp.from(now), column(units, row -> row.preorderId().toString()), column(units, Unit::vin),
                        column(units, unit -> unit.builtAt().toString()), column(units, unit -> unit.buildDate().toString()),
                        column(units, Unit::reassignedFrom))
                .query(String.class).list();
        expectEach(updated, units, Unit::preorderId, "cancelled without a unit");
    }

    record Cancellation(PreorderId preorderId, String variant, Instant cancelledAt) {
    }

    /**
     * Cancels the preorders, with one statement: a known one keeps what it had, but its hand-over date (the caller
     * freed the slot); one not seen yet is remembered, so its later events schedule nothing.
     */
    void cancelAll(List<Cancellation> cancellations, Instant now) {
        List<String> updated = jdbc.sql("""
                        insert into delivery_preorder (preorder_id, status, variant, cancelled_at, updated_at)
                        select id, 'CANCELLED', variant, cancelled_at, ?
                        from unnest(?::text[], ?::text[], ?::timestamptz[]) as c(id, variant, cancelled_at)
                        on conflict (preorder_id) do update
                        set status = 'CANCELLED', delivery_date = null, cancelled_at = excluded.cancelled_at, updated_at = excluded.updated_at
                        where delivery_preorder.status <> 'CANCELLED'
                        returning preorder_id""")
                .params(Timestamp.from(now), column(cancellations, row -> row.preorderId().toString()),
                        column(cancellations, Cancellation::variant), column(cancellations, row -> row.cancelledAt().toString()))
                .query(String.class).list();
        expectEach(updated, cancellations, Cancellation::preorderId, "cancelled by this event (cancelled already?)");
    }

    record HeldBooking(PreorderId preorderId, String requestedCity, String centerCity, Instant placedAt, LocalDate deliveryDate) {
    }

    /** Held units whose preorder arrived and whose hand-over was booked, with one statement. */
    void scheduleHeldAll(List<HeldBooking> bookings, Instant now) {
        List<String> updated = jdbc.sql("""
                        update delivery_preorder p
                        set status = 'SCHEDULED', requested_city = b.requested_city, center_city = b.center_city,
                            placed_at = b.placed_at, delivery_date = b.delivery_date, revision = 1, updated_at = ?
                        from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::date[])
                            as b(id, requested_city, center_city, placed_at, delivery_date)
                        where p.preorder_id = b.id and p.status = 'HELD'
                        returning p.preorder_id""")
                .params(Timestamp.from(now), column(bookings, row -> row.preorderId().toString()), column(bookings, HeldBooking::requestedCity),
                        column(bookings, HeldBooking::centerCity), column(bookings, booking -> booking.placedAt().toString()),
                        column(bookings, booking -> booking.deliveryDate().toString()))
                .query(String.class).list();
        expectEach(updated, bookings, HeldBooking::preorderId, "held");
    }

    /** Hand-overs at the centre after {@code today}, first come first: by date, then by when they were placed. */
    List<DeliveryPreorder> scheduledAfter(String centerCity, LocalDate today) {
        return jdbc.sql("""
                        select preorder_id, status, center_city, placed_at, vin, build_date, delivery_date, revision
                        from delivery_preorder
                        where status = 'SCHEDULED' and center_city = ? and delivery_date > ?
                        order by delivery_date, placed_at, preorder_id""")
                .params(centerCity, Date.valueOf(today)).query(DeliveryPreorders::map).list();
    }

    record Move(PreorderId preorderId, LocalDate deliveryDate, int fromRevision) {
    }

    void move(List<Move> moves, Instant now) {
        int[][] counts = template.batchUpdate("""
                        update delivery_preorder set delivery_date = ?, revision = revision + 1, updated_at = ?
                        where preorder_id = ? and status = 'SCHEDULED' and revision = ?""",
                moves, 500, (statement, move) -> {
                    statement.setDate(1, Date.valueOf(move.deliveryDate()));
                    statement.setTimestamp(2, Timestamp.from(now));
                    statement.setString(3, move.preorderId().toString());
                    statement.setInt(4, move.fromRevision());
                });
        // under the schedule lock nothing else moves them; anything else is a bug worth a rollback
        expectOneEach(counts, moves, Move::preorderId, "at the revision it was read with");
    }

    /** One column of an {@code unnest(...)}: the rows' values, as text for PostgreSQL to cast. */
    private static <T> String[] column(List<T> rows, Function<T, String> value) {
        return rows.stream().map(value).toArray(String[]::new);
    }

    /** A set-based update changed every row's preorder (the statement returned each id). */
    private static <T> void expectEach(List<String> updated, List<T> rows, Function<T, PreorderId> preorderIdOf, String state) {
        if (updated.size() == rows.size()) {
            return;
        }
        Set<String> done = new HashSet<>(updated);
        String missing = rows.stream().map(preorderIdOf).map(PreorderId::toString).filter(id -> !done.contains(id)).findFirst().orElse("?");
        throw new IllegalStateException("preorder %s was not %s (%d of %d rows updated)".formatted(missing, state, updated.size(), rows.size()));
    }

    /** Each row of a JDBC batch (its counts in the rows' order, batch after batch) updated exactly its one preorder. */
    private static <T> void expectOneEach(int[][] counts, List<T> rows, Function<T, PreorderId> preorderIdOf, String state) {
        int row = 0;
        for (int[] batch : counts) {
            for (int updated : batch) {
                if (updated != 1 && updated != Statement.SUCCESS_NO_INFO) {
                    throw new IllegalStateException("preorder %s was not %s (%d rows updated)"
                            .formatted(preorderIdOf.apply(rows.get(row)), state, updated));
                }
                row++;
            }
        }
    }

    private static DeliveryPreorder map(ResultSet rs, int row) throws SQLException {
        Timestamp placedAt = rs.getTimestamp("placed_at");
        return new DeliveryPreorder(PreorderId.parse(rs.getString("preorder_id")), rs.getString("status"), rs.getString("center_city"),
                placedAt == null ? null : placedAt.toInstant(), rs.getString("vin"),
                rs.getObject("build_date", LocalDate.class), rs.getObject("delivery_date", LocalDate.class), rs.getInt("revision"));
    }
}
