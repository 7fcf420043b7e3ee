package com.su7.orders.preorder;

import com.su7.contract.PreorderId;
import com.su7.events.CancellationReason;
import com.su7.events.Channel;
import com.su7.events.Variant;
import com.su7.orders.eta.PreorderCustomers;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** The preorders, in PostgreSQL. */
@Component
class Preorders implements PreorderCustomers {

    private static final String COLUMNS = "id, idempotency_key, request_hash, customer_id, variant, exterior_color, delivery_city, deposit, channel, entry_point, placed_at, interior, wheels";
    /** What is read of a preorder: what was placed and its cancellation. */
    private static final String READ_COLUMNS = COLUMNS + ", cancelled_at, cancellation_reason";

    private final JdbcClient jdbc;

    Preorders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<UUID, String> customerIdsOf(Collection<UUID> preorderIds) {
        Map<UUID, String> customers = new HashMap<>();
        jdbc.sql("select id, customer_id from preorder where id = any(?)").param(preorderIds.toArray(UUID[]::new))
                .query((rs, row) -> customers.put(rs.getObject(1, UUID.class), rs.getString(2))).list();
        return customers;
    }

    /**
     * Inserts every preorder whose idempotency key is not taken, with one statement; returns the ids inserted.
     * Of several preorders with the same key only the first can be inserted.
     */
    Set<UUID> insertAllIfKeysAreNew(List<Preorder> batch, Instant acceptedAt) {
        return new HashSet<>(jdbc.sql("""
                        insert into preorder (%s, accepted_at)
                        select *, ?::timestamptz from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                             ?::numeric[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
                        on conflict (idempotency_key) do nothing
                        returning id""".formatted(COLUMNS))
                .params(acceptedAt.toString(),column(batch, preorder -> preorder.id().value(), UUID[]::new),
                        column(batch, Preorder::idempotencyKey, String[]::new),
                        column(batch, Preorder::requestHash, String[]::new),
                        column(batch, Preorder::customerId, String[]::new),
                        column(batch, preorder -> preorder.variant().name(), String[]::new),
                        column(batch, Preorder::exteriorColor, String[]::new),
                        column(batch, Preorder::deliveryCity, String[]::new),
                        column(batch, preorder -> preorder.deposit().toPlainString(), String[]::new),
                        column(batch, preorder -> preorder.channel().name(), String[]::new),
                        column(batch, preorder -> preorder.entryPoint().name(), String[]::new),
                        column(batch, preorder -> preorder.placedAt().toString(), String[]::new),
                        column(batch, Preorder::interior, String[]::new),
                        column(batch, Preorder::wheels, String[]::new))
                .query(UUID.class).list());
    }

    Map<String, Preorder> withKeys(Collection<String> idempotencyKeys) {
        return jdbc.sql("select " + READ_COLUMNS + " from preorder where idempotency_key = any(?)")
                .param(idempotencyKeys.toArray(String[]::new))
                .query(Preorders::preorderOf).stream()
                .collect(Collectors.toMap(Preorder::idempotencyKey, Function.identity()));
    }

    private static <T> T[] column(List<Preorder> batch, Function<Preorder, T> value, IntFunction<T[]> array) {
        return batch.stream().map(value).toArray(array);
    }

    List<Preorder> findAll(Collection<UUID> ids) {
        return jdbc.sql("select " + READ_COLUMNS + " from preorder where id = any(?)").param(ids.toArray(UUID[]::new))
                .query(Preorders::preorderOf).list();
    }

    List<Preorder> ofCustomer(String customerId, int page, int size) {
        return jdbc.sql("select " + READ_COLUMNS + " from preorder where customer_id = ? order by placed_at, id limit ? offset ?")
                .params(customerId, size, (long) page * size).query(Preorders::preorderOf).list();
    }

    long countOfCustomer(String customerId) {
        return jdbc.sql("select count(*) from preorder where customer_id = ?").param(customerId).query(Long.class).single();
    }

    private static Preorder preorderOf(ResultSet rs, int row) throws SQLException {
        return new Preorder(new PreorderId(rs.getObject("id", UUID.class)), rs.getString("idempotency_key"), rs.getString("request_hash"),
                rs.getString("customer_id"), Variant.valueOf(rs.getString("variant")), rs.getString("exterior_color"),
                rs.getString("delivery_city"), rs.getBigDecimal("deposit"), Channel.valueOf(rs.getString("channel")),
                EntryPoint.valueOf(rs.getString("entry_point")), rs.getTimestamp("placed_at").toInstant(),
                rs.getString("interior"), rs.getString("wheels"), cancellationOf(rs));
    }

    private static Preorder.Cancellation cancellationOf(ResultSet rs) throws SQLException {
        Timestamp cancelledAt = rs.getTimestamp("cancelled_at");
        return cancelledAt == null ? null
                : new Preorder.Cancellation(cancelledAt.toInstant(), CancellationReason.valueOf(rs.getString("cancellation_reason")));
    }

    /** A preorder and when orders-service accepted it. */
    record Accepted(Preorder preorder, Instant acceptedAt) {
    }

    /** The preorder, its row locked until the transaction ends (cancellations of it wait); empty if there is none. */
    Optional<Accepted> lock(PreorderId id) {
        return jdbc.sql("select " + READ_COLUMNS + ", accepted_at from preorder where id = ? for update").param(id.value())
                .query((rs, row) -> new Accepted(preorderOf(rs, row), rs.getTimestamp("accepted_at").toInstant())).optional();
    }

    void cancel(PreorderId id, Preorder.Cancellation cancellation) {
        jdbc.sql("update preorder set cancelled_at = ?, cancellation_reason = ? where id = ? and cancelled_at is null")
                .params(Timestamp.from(cancellation.cancelledAt()), cancellation.reason().name(), id.value()).update();
    }
}
