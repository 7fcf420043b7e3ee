package com.su7.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local stack's PostgreSQL asks every role for its password, the superuser's included, on every line of
 * pg_hba.conf; the superuser's password is kept owner-only beside the data, and no password is on a command line.
 */
class PostgresAuthenticationIntegrationTests {

    private static final String SUPERUSER = "postgres";

    @TempDir
    Path home;

    @Test
    void letsAServiceRoleInWithItsPasswordAndRefusesAWrongOneAndTheSuperuserWithoutItsOwn() throws Exception {
        try (PostgresServer postgres = start()) {
            DatabaseAccess orders = postgres.ensureDatabase("orders");
            try (Connection connection = DriverManager.getConnection(orders.jdbcUrl(), orders.username(), orders.password())) {
                assertThat(connection.isValid(5)).isTrue();
            }

            assertThatThrownBy(() -> DriverManager.getConnection(orders.jdbcUrl(), orders.username(), "not-" + orders.password()).close())
                    .hasMessageContaining("password authentication failed");
            String superuserUrl = "jdbc:postgresql://127.0.0.1:%d/postgres".formatted(postgres.port());
            assertThatThrownBy(() -> DriverManager.getConnection(superuserUrl, SUPERUSER, null).close())
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(superuserUrl, SUPERUSER, "guessed").close())
                    .hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void keepsTheSuperuserPasswordOwnerOnlyBesideTheDataAndAsksForAPasswordOnEveryLineOfPgHba() throws Exception {
        try (PostgresServer postgres = start()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(superuserPasswordFile()))).isEqualTo("rw-------");
            try (Connection connection = connectAsSuperuser(postgres.port())) {
                assertThat(connection.isValid(5)).isTrue();
            }
            assertThat(hbaLines()).isNotEmpty().allSatisfy(line -> assertThat(line).endsWith("scram-sha-256"));
            assertThat(hbaLines()).anySatisfy(line -> assertThat(line).startsWith("local"))
                    .anySatisfy(line -> assertThat(line).startsWith("host"));
        }
    }

    @Test
    void aDataDirectoryOfThePreviousReleaseInitialisedWithTrustAsksForPasswordsFromItsFirstStartAndKeepsItsData() throws Exception {
        int port = Ports.freePort();
        // The previous release: zonky's defaults, initdb -A trust and no superuser password.
        try (EmbeddedPostgres previous = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory())
                .setCleanDataDirectory(false).start();
             Connection connection = previous.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("create table kept (id int primary key)");
            statement.execute("insert into kept values (42)");
        }
        assertThat(hbaLines()).anySatisfy(line -> assertThat(line).endsWith("trust"));

        try (PostgresServer postgres = PostgresServer.start(port, dataDirectory(), true, home.resolve("logs/postgres.log"))) {
            String superuserUrl = "jdbc:postgresql://127.0.0.1:%d/postgres".formatted(port);
            assertThatThrownBy(() -> DriverManager.getConnection(superuserUrl, SUPERUSER, null).close())
                    .hasMessageContaining("password");
            assertThat(hbaLines()).isNotEmpty().allSatisfy(line -> assertThat(line).endsWith("scram-sha-256"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(superuserPasswordFile()))).isEqualTo("rw-------");
            try (Connection connection = connectAsSuperuser(port);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select id from kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        }

        // Started again, the upgraded directory keeps its superuser password.
        try (PostgresServer postgres = PostgresServer.start(port, dataDirectory(), true, home.resolve("logs/postgres.log"));
             Connection connection = connectAsSuperuser(port)) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void aKeptDataDirectoryWhoseSuperuserPasswordFileWasLostGetsANewPasswordOnItsNextStart() throws Exception {
        int port = Ports.freePort();
        String lost;
        try (PostgresServer postgres = PostgresServer.start(port, dataDirectory(), true, home.resolve("logs/postgres.log"))) {
            lost = Files.readString(superuserPasswordFile()).strip();
        }
        Files.delete(superuserPasswordFile());

        try (PostgresServer postgres = PostgresServer.start(port, dataDirectory(), true, home.resolve("logs/postgres.log"));
             Connection connection = connectAsSuperuser(port)) {
            assertThat(connection.isValid(5)).isTrue();
            assertThat(Files.readString(superuserPasswordFile()).strip()).isNotEqualTo(lost);
            String superuserUrl = "jdbc:postgresql://127.0.0.1:%d/postgres".formatted(port);
            assertThatThrownBy(() -> DriverManager.getConnection(superuserUrl, SUPERUSER, lost).close())
                    .hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void theRegistryGetsItsDatabasePasswordOutsideItsCommandLine() throws Exception {
        try (PostgresServer postgres = start()) {
            DatabaseAccess storage = postgres.ensureDatabase("registry");
            try (SchemaRegistry registry = SchemaRegistry.start(Ports.freePort(), storage, home.resolve("logs"))) {
                String commandLine = Files.readString(Path.of("/proc", String.valueOf(registry.pid()), "cmdline"));
                assertThat(commandLine).contains("quarkus-run.jar").doesNotContain(storage.password());
                assertThat(ProcessHandle.of(registry.pid()).orElseThrow().info().arguments().orElseThrow())
                        .noneSatisfy(argument -> assertThat(argument).contains(storage.password()));
            }
        }
    }

    private PostgresServer start() {
        return PostgresServer.start(Ports.freePort(), dataDirectory(), false, home.resolve("logs/postgres.log"));
    }

    private Path dataDirectory() {
        return home.resolve("postgres");
    }

    private Path superuserPasswordFile() {
        return home.resolve("postgres-superuser.password");
    }

    private Connection connectAsSuperuser(int port) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:%d/postgres".formatted(port), SUPERUSER,
                Files.readString(superuserPasswordFile()).strip());
    }

    /** The rules of pg_hba.conf, without comments and blank lines. */
    private List<String> hbaLines() throws Exception {
        List<String> rules = new ArrayList<>();
        for (String line : Files.readAllLines(dataDirectory().resolve("pg_hba.conf"))) {
            String rule = line.replaceFirst("#.*", "").strip();
            if (!rule.isEmpty()) {
                rules.add(rule);
            }
        }
        return rules;
    }
}
