package com.su7.production.queue;

import com.su7.contract.DeliveryCities;
import com.su7.messaging.migration.ContractMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code city_transit} is the contract's {@link DeliveryCities} table, written by this repeatable migration:
 * Flyway runs it after the versioned ones whenever its checksum (the table's) changes, so a city or transit time
 * changed in the contract reaches the database at the next start, before anything reads it. A migration rather
 * than a load at start: the table is in step with the schema history, and SQL (the ETA projection) can join it.
 */
@Component
class CityTransitFromTheContract extends ContractMigration {

    CityTransitFromTheContract() {
        super(null, "city transit from the contract", DeliveryCities.checksum());
    }

    @Override
    protected void migrate(JdbcTemplate jdbc) {
        // Nothing references the table: replacing it whole also drops a city the contract no longer lists.
        jdbc.update("delete from city_transit");
        jdbc.batchUpdate("insert into city_transit (city, city_key, transit_days) values (?, ?, ?)", DeliveryCities.ALL, DeliveryCities.ALL.size(),
                (statement, city) -> {
                    statement.setString(1, city.name());
                    statement.setString(2, city.key());
                    statement.setInt(3, city.transitDays());
                });
    }
}
