package com.su7.delivery.schedule;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    Optional<DeliveryPreorder> find(String preorderId) {
        return jdbc.sql("""
                        select preorder_id, status, center_city, placed_at, vin, build_date, delivery_date, revision
                        from delivery_preorder where preorder_id = ?""")
                .param(preorderId).query(DeliveryPreorders::map).optional();
    }

    Map<String, DeliveryPreorder> findAll(List<String> preorderIds) {
        return jdbc.sql("""
                        select preorder_id, status, center_city, placed_at, vin, build_date, delivery_date, revision
                        from delivery_preorder where preorder_id = any(?)""")
                .param(preorderIds.toArray(String[]::new)).query(DeliveryPreorders::map).stream()
                .collect(Collectors.toMap(DeliveryPreorder::preorderId, Function.identity()));
    }

    record Awaiting(String preorderId, String requestedCity, String centerCity, String variant, Instant placedAt) {
    }

    /** Preorders seen first, whose unit is not built yet, with one JDBC batch. */
    void insertAwaitingAll(List<Awaiting> awaiting, Instant now) {
        template.batchUpdate("""
                        insert into delivery_preorder (preorder_id, status, requested_city, center_city, variant, placed_at, updated_at)
                        values (?, 'AWAITING_UNIT', ?, ?, ?, ?, ?)""",
                awaiting, awaiting.size(), (statement, preorder) -> {
                    statement.setString(1, preorder.preorderId());
                    statement.setString(2, preorder.requestedCity());
                    statement.setString(3, preorder.centerCity());
                    statement.setString(4, preorder.variant());
                    statement.setTimestamp(5, Timestamp.from(preorder.placedAt()));
                    statement.setTimestamp(6, Timestamp.from(now));
                });
    }

    record Booking(String preorderId, String vin, Instant builtAt, LocalDate buildDate, LocalDate deliveryDate) {
    }

    /** Awaiting preorders whose unit was built and booked, with one JDBC batch. */
    void scheduleAwaitingAll(List<Booking> bookings, Instant now) {
        int[][] counts = template.batchUpdate("""
                        update delivery_preorder
                        set status = 'SCHEDULED', vin = ?, built_at = ?, build_date = ?, delivery_date = ?, revision = 1, updated_at = ?
                        where preorder_id = ? and status = 'AWAITING_UNIT'""",
                bookings, bookings.size(), (statement, booking) -> {
                    statement.setString(1, booking.vin());
                    statement.setTimestamp(2, Timestamp.from(booking.builtAt()));
                    statement.setDate(3, Date.valueOf(booking.buildDate()));
                    statement.setDate(4, Date.valueOf(booking.deliveryDate()));
                    statement.setTimestamp(5, Timestamp.from(now));
                    statement.setString(6, booking.preorderId());
                });
        expectOneEach(counts, bookings, Booking::preorderId, "awaiting its unit");
    }

    record HeldUnit(String preorderId, String vin, String variant, Instant builtAt, LocalDate buildDate) {
    }

    /** Units built before their preorder arrived, held, with one JDBC batch. */
    void insertHeldAll(List<HeldUnit> units, Instant now) {
        template.batchUpdate("""
                        insert into delivery_preorder (preorder_id, status, variant, vin, built_at, build_date, updated_at)
                        values (?, 'HELD', ?, ?, ?, ?, ?)""",
                units, units.size(), (statement, unit) -> {
                    statement.setString(1, unit.preorderId());
                    statement.setString(2, unit.variant());
                    statement.setString(3, unit.vin());
                    statement.setTimestamp(4, Timestamp.from(unit.builtAt()));
                    statement.setDate(5, Date.valueOf(unit.buildDate()));
                    statement.setTimestamp(6, Timestamp.from(now));
                });
    }

    record HeldBooking(String preorderId, String requestedCity, String centerCity, Instant placedAt, LocalDate deliveryDate) {
    }

    /** Held units whose preorder arrived and whose hand-over was booked, with one JDBC batch. */
    void scheduleHeldAll(List<HeldBooking> bookings, Instant now) {
        int[][] counts = template.batchUpdate("""
                        update delivery_preorder
                        set status = 'SCHEDULED', requested_city = ?, center_city = ?, placed_at = ?, delivery_date = ?, revision = 1, updated_at = ?
                        where preorder_id = ? and status = 'HELD'""",
                bookings, bookings.size(), (statement, booking) -> {
                    statement.setString(1, booking.requestedCity());
                    statement.setString(2, booking.centerCity());
                    statement.setTimestamp(3, Timestamp.from(booking.placedAt()));
                    statement.setDate(4, Date.valueOf(booking.deliveryDate()));
                    statement.setTimestamp(5, Timestamp.from(now));
                    statement.setString(6, booking.preorderId());
                });
        expectOneEach(counts, bookings, HeldBooking::preorderId, "held");
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

    record Move(String preorderId, LocalDate deliveryDate, int fromRevision) {
    }

    void move(List<Move> moves, Instant now) {
        int[][] counts = template.batchUpdate("""
                        update delivery_preorder set delivery_date = ?, revision = revision + 1, updated_at = ?
                        where preorder_id = ? and status = 'SCHEDULED' and revision = ?""",
                moves, 500, (statement, move) -> {
                    statement.setDate(1, Date.valueOf(move.deliveryDate()));
                    statement.setTimestamp(2, Timestamp.from(now));
                    statement.setString(3, move.preorderId());
                    statement.setInt(4, move.fromRevision());
                });
        // under the schedule lock nothing else moves them; anything else is a bug worth a rollback
        expectOneEach(counts, moves, Move::preorderId, "at the revision it was read with");
    }

    /** Each row of a JDBC batch (its counts in the rows' order, batch after batch) updated exactly its one preorder. */
    private static <T> void expectOneEach(int[][] counts, List<T> rows, Function<T, String> preorderIdOf, String state) {
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
        return new DeliveryPreorder(rs.getString("preorder_id"), rs.getString("status"), rs.getString("center_city"),
                placedAt == null ? null : placedAt.toInstant(), rs.getString("vin"),
                rs.getObject("build_date", LocalDate.class), rs.getObject("delivery_date", LocalDate.class), rs.getInt("revision"));
    }
}
