package com.su7.testsupport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a year of production leaves in a service's database besides its own tables, for benchmarks that measure costs
 * against history: the messaging module's tables as their chores keep them, and the statistics autovacuum keeps.
 */
public final class DatabaseHistory {

    private DatabaseHistory() {
    }

    /**
     * The messaging tables after a year: the outbox published (empty); processed event ids of the last
     * {@code windowDays} days (the clean-up deletes older ones every few minutes), one per event of {@code perDay}
     * preorders a day, and the few minutes' worth that expired since its last run; and dead letters of the year, all
     * resolved but a handful.
     */
    public static void fillMessaging(DataSource database, String consumer, int perDay, int windowDays) {
        execute(database, """
                insert into processed_event (consumer, event_id, processed_at)
                select ?, gen_random_uuid()::text, now() - interval '%d days 10 minutes' + i * (interval '1 day' / ?)
                from generate_series(1, ? + ? / 144) as i""".formatted(windowDays),
                consumer, perDay, perDay * windowDays, perDay);
        execute(database, """
                insert into dead_letter (consumer, topic, record_partition, record_offset, record_key, payload, state,
                                         exception_class, reason, attempts, first_failed_at, last_failed_at, redrives,
                                         resolution, resolved_at, created_at)
                select ?, 'history.topic', i % 3, i, gen_random_uuid()::text, '\\x00'::bytea,
                       case when i % 500 = 0 then 'OPEN' else 'RESOLVED' end,
                       'org.apache.avro.AvroRuntimeException', 'malformed', 1, t, t, 1,
                       case when i % 500 = 0 then null else 'APPLIED' end, case when i % 500 = 0 then null else t end, t
                from generate_series(1, 2000) as i, lateral (select now() - interval '365 days' + i * interval '4 hours') as at(t)""",
                consumer);
    }

    /** {@code vacuum analyze} of every table, as autovacuum would have done by then (it also sets the visibility map). */
    public static void vacuumAnalyze(DataSource database) {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("vacuum analyze");
        } catch (SQLException e) {
            throw new IllegalStateException("vacuum analyze failed: " + e.getMessage(), e);
        }
    }

    static void execute(DataSource database, String sql, Object... parameters) {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("filling the history failed: " + e.getMessage(), e);
        }
    }
}
