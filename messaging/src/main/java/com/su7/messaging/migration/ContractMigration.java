package com.su7.messaging.migration;

import com.su7.contract.DeliveryCities;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A Flyway migration a service writes in Java from the contract ({@code schemas}), registered as a bean: what Flyway
 * needs to know of it is given once here, and the work runs in the migration's transaction on Flyway's connection.
 */
public abstract class ContractMigration implements JavaMigration {

    private final MigrationVersion version;
    private final String description;
    private final Integer checksum;

    /**
     * @param version  the version, or null for a repeatable migration (run again whenever its checksum changes)
     * @param checksum what, when it changes, runs a repeatable migration again; null for a versioned one
     */
    protected ContractMigration(String version, String description, Integer checksum) {
        this.version = version == null ? null : MigrationVersion.fromVersion(version);
        this.description = description;
        this.checksum = checksum;
    }

    protected abstract void migrate(JdbcTemplate jdbc);

    @Override
    public final void migrate(Context context) {
        migrate(new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true)));
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return checksum;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    /**
     * Gives every row of the table the contract's key of its city ({@link DeliveryCities#keyOf}), after the key column
     * stopped being generated: a table holds a handful of distinct spellings, so one update each.
     */
    protected static void rekeyCities(JdbcTemplate jdbc, String table, String cityColumn) {
        jdbc.execute("alter table %s alter column city_key drop expression".formatted(table));
        jdbc.queryForList("select distinct %s from %s".formatted(cityColumn, table), String.class).forEach(city ->
                jdbc.update("update %s set city_key = ? where %s = ?".formatted(table, cityColumn), DeliveryCities.keyOf(city), city));
    }
}
