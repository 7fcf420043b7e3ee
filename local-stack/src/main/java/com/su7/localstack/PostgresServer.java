package com.su7.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Embedded PostgreSQL with one database and one role of the same name for each service. */
final class PostgresServer implements LocalServer {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final int port;
    private final Path dataDirectory;
    private final boolean durable;
    private final Path log;
    private final Map<String, DatabaseAccess> databases = new ConcurrentHashMap<>();
    private EmbeddedPostgres postgres;

    private PostgresServer(int port, Path dataDirectory, boolean durable, Path log) {
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.durable = durable;
        this.log = log;
    }

    static PostgresServer start(int port, Path dataDirectory, boolean durable, Path log) {
        PostgresServer server = new PostgresServer(port, dataDirectory, durable, log);
        server.launch();
        return server;
    }

    private void launch() {
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(log.getParent());
            String onWhenDurable = durable ? "on" : "off";
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    // Never its own clean-up: it raced PostgreSQL's exit ("Could not clean up directory") when the stack
                    // stopped; the stack deletes a throw-away data directory itself once every server is down.
                    .setCleanDataDirectory(false)
                    // The embedded default trades durability for speed; a kept data directory must survive a crash.
                    .setServerConfig("fsync", onWhenDurable)
                    .setServerConfig("synchronous_commit", onWhenDurable)
                    .setServerConfig("full_page_writes", onWhenDurable)
                    .setServerConfig("max_connections", "300")
                    // Checkpoints every 15 min or 4 GB of WAL, not every ~0.5 GB (the default 1 GB max_wal_size): a
                    // launch burst writes ~11 KB of WAL per preorder, and each checkpoint's flush and the full-page
                    // images after it stalled commits for seconds (latency p99 0.4 s -> 3.1 s in the run it hit).
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            countNoStatements();
        } catch (IOException e) {
            throw new LocalStackException("PostgreSQL did not start on port %d: %s (see %s)".formatted(port, e.getMessage(), log), e);
        }
    }

    /**
     * Starts PostgreSQL again on its port and data directory after {@link #close()}; roles, passwords and
     * tables are as they were. Only a kept data directory survives a stop (a throw-away one is deleted).
     */
    void restart() {
        if (!durable) {
            throw new LocalStackException("PostgreSQL can only be stopped and started again on a kept data directory (--data-dir)");
        }
        launch();
    }

    /**
     * pg_stat_statements is loaded but counts nothing until a profiler turns it on with {@code alter system}
     * (a setting on the command line could not be changed at run time).
     */
    private void countNoStatements() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("alter system set pg_stat_statements.track = 'none'");
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new LocalStackException("could not configure pg_stat_statements: " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    DataSource superuser(String database) {
        return postgres.getDatabase("postgres", database);
    }

    /**
     * Creates the database and its owner role if missing (idempotent; a kept data directory keeps them) and
     * gives the role a fresh password. Only the owner may connect to it.
     */
    DatabaseAccess ensureDatabase(String name) {
        return databases.computeIfAbsent(name, this::createDatabase);
    }

    private DatabaseAccess createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name %s must match %s".formatted(name, DATABASE_NAME));
        }
        String password = Secrets.random();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            if (!exists(connection, "select 1 from pg_roles where rolname = ?", name)) {
                statement.execute("create role %s login".formatted(name));
            }
            // The password is random hex, so it cannot break out of the literal.
            statement.execute("alter role %s password '%s'".formatted(name, password));
            if (!exists(connection, "select 1 from pg_database where datname = ?", name)) {
                statement.execute("create database %s owner %s".formatted(name, name));
            }
            statement.execute("revoke connect, temporary on database %s from public".formatted(name));
            statement.execute("grant connect on database %s to %s".formatted(name, name));
        } catch (SQLException e) {
            throw new LocalStackException("could not create database %s: %s".formatted(name, e.getMessage()), e);
        }
        return new DatabaseAccess(name, postgres.getJdbcUrl(name, name).replace("localhost", "127.0.0.1")
                .replace("?user=" + name, ""), name, password);
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new LocalStackException("PostgreSQL did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
