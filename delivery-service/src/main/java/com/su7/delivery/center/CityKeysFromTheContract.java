package com.su7.delivery.center;

import com.su7.contract.DeliveryCities;
import com.su7.messaging.migration.ContractMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Migration 3: a centre's city key is {@link DeliveryCities#keyOf}, computed in Java by whoever writes the row, no
 * longer a generated column with its own SQL normaliser (V1's letters-only regex, which did not match a city as
 * orders did). Existing centres get the contract's keys once here.
 */
@Component
class CityKeysFromTheContract extends ContractMigration {

    CityKeysFromTheContract() {
        super("3", "city keys from the contract", null);
    }

    @Override
    protected void migrate(JdbcTemplate jdbc) {
        rekeyCities(jdbc, "center", "city");
    }
}
