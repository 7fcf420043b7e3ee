package com.su7.localstack;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Kafka broker in KRaft combined mode (broker and controller), as its own JVM on loopback, so that it
 * can be killed and restarted like a real one. Clients authenticate with SASL/SCRAM-SHA-512 and the
 * StandardAuthorizer allows only what an ACL allows; the {@code admin} super user (the broker itself, tools,
 * test probes) has its SCRAM credential written at format time and its password kept beside the data.
 */
final class KafkaBroker implements LocalServer {

    static final String SCRAM = "SCRAM-SHA-512";
    // Generous: on a 2-core machine shared by several builds, a broker has needed more than 90 s to answer.
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChildProcess process;
    private final int port;
    private final String adminPassword;

    private KafkaBroker(ChildProcess process, int port, String adminPassword) {
        this.process = process;
        this.port = port;
        this.adminPassword = adminPassword;
    }

    static KafkaBroker start(int port, Path home, Path logs) {
        Path config = home.resolve("server.properties");
        Path data = home.resolve("data");
        String adminPassword = adminPassword(home.resolve("admin.password"));
        writeConfig(config, port, Ports.freePort(), data, adminPassword);
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(config, adminPassword, logs.resolve("kafka-format.log"));
        }
        ChildProcess process = ChildProcess.start("Kafka broker", javaCommand("kafka.Kafka", config.toString()),
                logs.resolve("kafka.log"));
        KafkaBroker broker = new KafkaBroker(process, port, adminPassword);
        try {
            process.awaitReady(READY_TIMEOUT, broker::answers);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Client settings of a SCRAM user on this broker. */
    Map<String, Object> clientSettings(String username, String password) {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, SCRAM,
                SaslConfigs.SASL_JAAS_CONFIG, scramLogin(username, password));
    }

    Map<String, Object> adminSettings() {
        return clientSettings(KafkaPrincipal.ADMIN, adminPassword);
    }

    /**
     * Gives each principal its SCRAM credential (a new password on every start, like the databases' roles)
     * and its ACLs (idempotent: a kept data directory keeps them).
     */
    void secure(Map<KafkaPrincipal, String> passwords) {
        Map<String, Object> settings = new HashMap<>(adminSettings());
        try (Admin admin = Admin.create(settings)) {
            admin.alterUserScramCredentials(passwords.entrySet().stream()
                    .<UserScramCredentialAlteration>map(entry -> new UserScramCredentialUpsertion(entry.getKey().name(),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), entry.getValue()))
                    .toList()).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(passwords.keySet().stream().flatMap(principal -> principal.acls().stream()).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while creating Kafka's users", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LocalStackException("could not create Kafka's users and ACLs: " + e.getMessage(), e);
        }
    }

    private boolean answers() {
        // A plain connect first: an admin client against a closed port only fills the log with refusals.
        if (!Ports.accepts(port)) {
            return false;
        }
        Map<String, Object> settings = new HashMap<>(adminSettings());
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(settings)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    private static void writeConfig(Path config, int port, int controllerPort, Path data, String adminPassword) {
        List<String> lines = List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=SASL_PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d".formatted(port, controllerPort),
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                // Clients and the broker itself: SCRAM, whose credentials live in the cluster's metadata.
                "sasl.enabled.mechanisms=" + SCRAM,
                "sasl.mechanism.inter.broker.protocol=" + SCRAM,
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + scramLogin(KafkaPrincipal.ADMIN, adminPassword),
                // The controller cannot use SCRAM (it must authenticate before it has read the metadata): PLAIN,
                // with the admin's password in this (owner-only) file.
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"%s\" password=\"%s\" user_%s=\"%s\";".formatted(KafkaPrincipal.ADMIN, adminPassword,
                        KafkaPrincipal.ADMIN, adminPassword),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + KafkaPrincipal.ADMIN,
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + data,
                "num.partitions=6",
                // Producing services declare their topics: a typo must fail, not create a new topic.
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168");
        try {
            Files.createDirectories(config.getParent());
            // The controller port is new on each start, which KRaft accepts for a single static voter.
            Files.deleteIfExists(config);
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(config, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private static void format(Path config, String adminPassword, Path log) {
        List<String> command = javaCommand("kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--add-scram", "%s=[name=%s,password=%s]".formatted(SCRAM, KafkaPrincipal.ADMIN, adminPassword));
        ChildProcess formatter = ChildProcess.start("Kafka storage format", command, log);
        int exit = formatter.awaitExit(Duration.ofMinutes(2));
        if (exit != 0) {
            // The log lives in the stack's directory, which a throw-away stack deletes: say what it said.
            throw new LocalStackException("formatting Kafka's storage failed with code %d:%n%s".formatted(exit, formatter.tailOfLog()));
        }
    }

    /** The admin's password, generated on first use and kept with the data (its credential is in the metadata). */
    private static String adminPassword(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(file.getParent());
            byte[] secret = new byte[16];
            RANDOM.nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep Kafka's admin password in " + file, e);
        }
    }

    /** Passwords here are hex, so they need no escaping in the JAAS line. */
    static String scramLogin(String username, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"%s\" password=\"%s\";"
                .formatted(username, password);
    }

    private static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                JavaRuntimes.currentJava().toString(),
                "-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=local-stack/kafka-logback.xml",
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public void kill() {
        process.stop(Duration.ZERO);
    }
}
