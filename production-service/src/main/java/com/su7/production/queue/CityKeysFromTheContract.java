package com.su7.production.queue;

import com.su7.contract.DeliveryCities;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Migration 4: city keys are {@link DeliveryCities#keyOf}, computed in Java by whoever writes a row, no longer a
 * generated column with its own SQL normaliser (V3's letters-only regex, which did not match a city as orders and
 * delivery did). Existing rows get the contract's keys once here.
 */
@Component
class CityKeysFromTheContract implements JavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("4");
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
        jdbc.execute("alter table city_transit alter column city_key drop expression");
        jdbc.execute("alter table production_queue alter column city_key drop expression");
        rekey(jdbc, "city_transit", "city");
        rekey(jdbc, "production_queue", "delivery_city");
    }

    /** A table holds a handful of distinct spellings: one update each. */
    private static void rekey(JdbcTemplate jdbc, String table, String cityColumn) {
        jdbc.queryForList("select distinct %s from %s".formatted(cityColumn, table), String.class).forEach(city ->
                jdbc.update("update %s set city_key = ? where %s = ?".formatted(table, cityColumn), DeliveryCities.keyOf(city), city));
    }
}
