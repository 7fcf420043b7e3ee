package com.su7.delivery.center;

import com.su7.contract.DeliveryCities;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Migration 3: a centre's city key is {@link DeliveryCities#keyOf}, computed in Java by whoever writes the row, no
 * longer a generated column with its own SQL normaliser (V1's letters-only regex, which did not match a city as
 * orders did). Existing centres get the contract's keys once here.
 */
@Component
class CityKeysFromTheContract implements JavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("3");
    }

    @Override
    public String getDescription() {
        return "city keys from the contract";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) {
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true));
        jdbc.execute("alter table center alter column city_key drop expression");
        jdbc.queryForList("select city from center", String.class)
                .forEach(city -> jdbc.update("update center set city_key = ? where city = ?", DeliveryCities.keyOf(city), city));
    }
}
