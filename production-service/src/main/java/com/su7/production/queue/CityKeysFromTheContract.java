package com.su7.production.queue;

import com.su7.contract.DeliveryCities;
import com.su7.messaging.migration.ContractMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Migration 4: city keys are {@link DeliveryCities#keyOf}, computed in Java by whoever writes a row, no longer a
 * generated column with its own SQL normaliser (V3's letters-only regex, which did not match a city as orders and
 * delivery did). Existing rows get the contract's keys once here.
 */
@Component
class CityKeysFromTheContract extends ContractMigration {

    CityKeysFromTheContract() {
        super("4", "city keys from the contract", null);
    }

    @Override
    protected void migrate(JdbcTemplate jdbc) {
        rekeyCities(jdbc, "city_transit", "city");
        rekeyCities(jdbc, "production_queue", "delivery_city");
    }
}
