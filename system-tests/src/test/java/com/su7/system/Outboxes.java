package com.su7.system;

import com.su7.localstack.LocalStack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The services' outboxes seen from outside, with SQL on each service's database: every table named {@code outbox_*}
 * whichever release created it ({@code outbox_event} of v0.1.0, {@code outbox_message} of the release after), and
 * the relay's lock, which the rehearsal takes to leave rows in an outbox as a slow Kafka would.
 */
final class Outboxes {

    /**
     * The advisory lock the outbox relay of every release so far takes for each batch, so one relay per database
     * publishes: releases that a rolling upgrade runs side by side must keep the same one.
     */
    private static final long RELAY_LOCK = 7_420_001L;

    private final LocalStack stack;

    Outboxes(LocalStack stack) {
        this.stack = stack;
    }

    /** A snapshot of one service's outbox tables: the rows in each, and the database's clock when counted. */
    record Rows(Map<String, Long> byTable, Instant countedAt) {

        long total() {
            return byTable.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The rows in each outbox table of the service's database now. */
    Rows rows(String service) {
        try (Connection connection = stack.postgresSuperuser(service).getConnection()) {
            Map<String, Long> rows = new TreeMap<>();
            for (String table : tables(connection)) {
                rows.put(table, count(connection, "select count(*) from " + table, null));
            }
            return new Rows(rows, now(connection));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the outbox rows of " + service, e);
        }
    }

    /** The rows written at or before {@code instant} (the database's clock) still in each outbox table. */
    Map<String, Long> rowsWrittenBy(String service, Instant instant) {
        try (Connection connection = stack.postgresSuperuser(service).getConnection()) {
            Map<String, Long> rows = new TreeMap<>();
            for (String table : tables(connection)) {
                rows.put(table, count(connection, "select count(*) from " + table + " where created_at <= ?", Timestamp.from(instant)));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the outbox rows of " + service, e);
        }
    }

    /** Holds the relay of the service's database (whichever instance and release runs it) until closed. */
    RelayHold holdRelay(String service) {
        try {
            Connection connection = stack.postgresSuperuser(service).getConnection();
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, RELAY_LOCK);
                lock.execute();
            }
            return new RelayHold(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot hold the outbox relay of " + service, e);
        }
    }

    /** The relay's lock held by a session of our own; closing the session lets the relay go on. */
    static final class RelayHold implements AutoCloseable {

        private final Connection session;

        private RelayHold(Connection session) {
            this.session = session;
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot end the session holding the relay", e);
            }
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("""
                     select table_name from information_schema.tables
                     where table_schema = current_schema() and table_name like 'outbox\\_%' and table_type = 'BASE TABLE'
                     order by 1""")) {
            while (result.next()) {
                tables.add(result.getString(1));
            }
        }
        return tables;
    }

    private static long count(Connection connection, String sql, Timestamp parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setTimestamp(1, parameter);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static Instant now(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("select clock_timestamp()")) {
            result.next();
            return result.getTimestamp(1).toInstant();
        }
    }
}
