package com.su7.delivery.center;

import com.su7.contract.DeliveryCities;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The delivery centres: one per city of the contract's {@link DeliveryCities}, seeded from it by
 * {@link CentersFromTheContract}; only their capacity changes at run time.
 */
@Repository
public class Centers {

    private static final String COLUMNS = "select city, name, transit_days, daily_capacity, updated_at from center";

    private final JdbcClient jdbc;

    Centers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Center> all() {
        return jdbc.sql(COLUMNS + " order by city").query(Centers::map).list();
    }

    /** The centre serving a city, matched by {@link DeliveryCities#keyOf}. */
    public Optional<Center> serving(String city) {
        return jdbc.sql(COLUMNS + " where city_key = ?").param(DeliveryCities.keyOf(city)).query(Centers::map).optional();
    }

    /** The centre by its exact city key, as stored on a preorder. */
    public Center get(String city) {
        return jdbc.sql(COLUMNS + " where city = ?").param(city).query(Centers::map).optional()
                .orElseThrow(() -> new IllegalStateException("no delivery centre for city %s".formatted(city)));
    }

    /** Locks the centre's row for a capacity change (not its key: bookings referencing it go on); empty if no centre serves it. */
    Optional<Center> lockServing(String city) {
        return jdbc.sql(COLUMNS + " where city_key = ? for no key update").param(DeliveryCities.keyOf(city)).query(Centers::map).optional();
    }

    void changeCapacity(String city, int capacity, Instant at) {
        jdbc.sql("update center set daily_capacity = ?, updated_at = ? where city = ?")
                .params(capacity, java.sql.Timestamp.from(at), city).update();
    }

    void recordChange(CapacityChange change) {
        jdbc.sql("""
                        insert into center_capacity_change (city, previous_capacity, new_capacity, changed_by, reason, changed_at)
                        values (?, ?, ?, ?, ?, ?)""")
                .params(change.city(), change.previousCapacity(), change.newCapacity(), change.changedBy(), change.reason(),
                        java.sql.Timestamp.from(change.changedAt()))
                .update();
    }

    List<CapacityChange> changesOf(String city) {
        return jdbc.sql("""
                        select city, previous_capacity, new_capacity, changed_by, reason, changed_at
                        from center_capacity_change where city = ? order by changed_at desc, id desc""")
                .param(city)
                .query((rs, row) -> new CapacityChange(rs.getString("city"), rs.getInt("previous_capacity"),
                        rs.getInt("new_capacity"), rs.getString("changed_by"), rs.getString("reason"),
                        rs.getTimestamp("changed_at").toInstant()))
                .list();
    }

    private static Center map(ResultSet rs, int row) throws SQLException {
        return new Center(rs.getString("city"), rs.getString("name"), rs.getInt("transit_days"), rs.getInt("daily_capacity"),
                rs.getTimestamp("updated_at").toInstant());
    }
}
