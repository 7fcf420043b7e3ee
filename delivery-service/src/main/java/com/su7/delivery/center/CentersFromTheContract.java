package com.su7.delivery.center;

import com.su7.contract.DeliveryCities;
import com.su7.contract.DeliveryCity;
import com.su7.messaging.migration.ContractMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * A centre for every city of the contract's {@link DeliveryCities}, with its transit days, written by this
 * repeatable migration: Flyway runs it after the versioned ones whenever its checksum (the contract table's)
 * changes, so a city or transit time changed in the contract reaches the database at the next start, before
 * anything reads it. A migration rather than a load at start: the table is in step with the schema history.
 * <p>
 * A new city's centre starts at {@value #NEW_CENTER_DAILY_CAPACITY} hand-overs a day until ops set its capacity
 * (capacities are delivery's own, not the contract's). A centre whose city the contract no longer lists is kept:
 * its booked hand-overs still take place there.
 */
@Component
class CentersFromTheContract extends ContractMigration {

    private static final Logger log = LoggerFactory.getLogger(CentersFromTheContract.class);
    static final int NEW_CENTER_DAILY_CAPACITY = 100;

    CentersFromTheContract() {
        super(null, "centers from the contract", DeliveryCities.checksum());
    }

    @Override
    protected void migrate(JdbcTemplate jdbc) {
        // Matched on the key: a city spelled anew in the contract keeps its centre (and the bookings referencing it).
        jdbc.batchUpdate("""
                        insert into center (city, city_key, name, transit_days, daily_capacity) values (?, ?, ?, ?, ?)
                        on conflict (city_key) do update set transit_days = excluded.transit_days""",
                DeliveryCities.ALL, DeliveryCities.ALL.size(), (statement, city) -> {
                    statement.setString(1, city.name());
                    statement.setString(2, city.key());
                    statement.setString(3, city.name() + " Delivery Center");
                    statement.setInt(4, city.transitDays());
                    statement.setInt(5, NEW_CENTER_DAILY_CAPACITY);
                });
        List<String> dropped = jdbc.queryForList("select city from center where not (city_key = any(?))", String.class,
                (Object) DeliveryCities.ALL.stream().map(DeliveryCity::key).toArray(String[]::new));
        if (!dropped.isEmpty()) {
            log.warn("the contract no longer lists {}: their centres stay for the hand-overs booked there", dropped);
        }
    }
}
