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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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

    private final String name;
    private final Path config;
    private final Path log;
    private final int port;
    private final String adminPassword;
    private ChildProcess process;

    private KafkaBroker(String name, Path config, Path log, int port, String adminPassword) {
        this.name = name;
        this.config = config;
        this.log = log;
        this.port = port;
        this.adminPassword = adminPassword;
    }

    /** One broker that is its own controller. */
    static KafkaBroker start(int port, Path home, Path logs) {
        int controllerPort = Ports.freePort();
        // The admin's password is kept with the data: its SCRAM credential is in the metadata.
        KafkaBroker broker = prepare(1, port, "1@127.0.0.1:" + controllerPort, controllerPort, 1, home, logs,
                Secrets.kept(home.resolve("admin.password")));
        broker.formatOnce(Uuid.randomUuid().toString(), logs.resolve("kafka-format.log"));
        broker.launch();
        broker.awaitReady();
        return broker;
    }

    /**
     * Brokers that are also the controller quorum, one per port, every topic replicated to all of them with
     * {@code min.insync.replicas} one less (one broker may fail without a write being refused).
     */
    static List<KafkaBroker> startCluster(List<Integer> ports, Path home, Path logs) {
        List<Integer> controllerPorts = ports.stream().map(port -> Ports.freePort()).toList();
        String voters = IntStream.range(0, ports.size())
                .mapToObj(i -> "%d@127.0.0.1:%d".formatted(i + 1, controllerPorts.get(i)))
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        // One admin for the cluster: the brokers authenticate to each other as it.
        String adminPassword = Secrets.kept(home.resolve("admin.password"));
        List<KafkaBroker> brokers = new ArrayList<>();
        try {
            for (int i = 0; i < ports.size(); i++) {
                KafkaBroker broker = prepare(i + 1, ports.get(i), voters, controllerPorts.get(i), ports.size(),
                        home.resolve("broker-" + (i + 1)), logs, adminPassword);
                broker.formatOnce(clusterId, logs.resolve("kafka-%d-format.log".formatted(i + 1)));
                brokers.add(broker);
            }
            // Together: a controller quorum needs a majority before any broker answers.
            brokers.forEach(KafkaBroker::launch);
            brokers.forEach(KafkaBroker::awaitReady);
            return brokers;
        } catch (RuntimeException e) {
            brokers.forEach(KafkaBroker::kill);
            throw e;
        }
    }

    private static KafkaBroker prepare(int nodeId, int port, String voters, int controllerPort, int brokers, Path home, Path logs,
                                       String adminPassword) {
        Path config = home.resolve("server.properties");
        writeConfig(config, nodeId, port, voters, controllerPort, brokers, home.resolve("data"), adminPassword);
        String suffix = brokers == 1 ? "" : "-" + nodeId;
        return new KafkaBroker("Kafka broker" + suffix, config, logs.resolve("kafka%s.log".formatted(suffix)), port, adminPassword);
    }

    /** Starts the broker again on its port and data directory after {@link #kill()} or {@link #close()}. */
    void restart() {
        if (process != null && process.isAlive()) {
            throw new LocalStackException(name + " is still running");
        }
        launch();
        awaitReady();
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void launch() {
        process = ChildProcess.start(name, javaCommand("kafka.Kafka", config.toString()), log);
    }

    private void awaitReady() {
        try {
            process.awaitReady(READY_TIMEOUT, this::answers);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
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

    /** Client settings of a SCRAM user of the brokers at {@code bootstrapServers}. */
    static Map<String, Object> clientSettings(String bootstrapServers, String username, String password) {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, SCRAM,
                SaslConfigs.SASL_JAAS_CONFIG, scramLogin(username, password));
    }

    /** The super user's settings on this broker alone. */
    Map<String, Object> adminSettings() {
        return clientSettings(bootstrapServers(), KafkaPrincipal.ADMIN, adminPassword);
    }

    String adminPassword() {
        return adminPassword;
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

    private static void writeConfig(Path config, int nodeId, int port, String voters, int controllerPort, int brokers, Path data,
                                    String adminPassword) {
        String replicas = String.valueOf(brokers);
        String minInSync = String.valueOf(Math.max(1, brokers - 1));
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=SASL_PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d".formatted(port, controllerPort),
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                // Clients and the brokers themselves: SCRAM, whose credentials live in the cluster's metadata.
                "sasl.enabled.mechanisms=" + SCRAM,
                "sasl.mechanism.inter.broker.protocol=" + SCRAM,
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + scramLogin(KafkaPrincipal.ADMIN, adminPassword),
                // The controllers cannot use SCRAM (they authenticate before they have read the metadata): PLAIN,
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
                "default.replication.factor=" + replicas,
                "min.insync.replicas=" + minInSync,
                "offsets.topic.replication.factor=" + replicas,
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + minInSync,
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + minInSync,
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168"));
        if (brokers > 1) {
            // A killed broker's partitions get new leaders once the controller gives up on its heartbeats: after
            // 9 s by default, a pause every producer to those partitions sees. 3 s keeps failover below that.
            lines.add("broker.session.timeout.ms=3000");
            lines.add("broker.heartbeat.interval.ms=500");
        }
        try {
            Files.createDirectories(config.getParent());
            // A single voter's controller port may be new on each start (KRaft accepts that for one static voter);
            // a restart reuses the file, so a cluster's voters stay where the others expect them.
            Secrets.writeOwnerOnly(config, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private void formatOnce(String clusterId, Path formatLog) {
        if (Files.exists(config.resolveSibling("data").resolve("meta.properties"))) {
            return;
        }
        List<String> command = javaCommand("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString(),
                "--add-scram", "%s=[name=%s,password=%s]".formatted(SCRAM, KafkaPrincipal.ADMIN, adminPassword));
        ChildProcess formatter = ChildProcess.start("Kafka storage format", command, formatLog);
        int exit = formatter.awaitExit(Duration.ofMinutes(2));
        if (exit != 0) {
            // The log lives in the stack's directory, which a throw-away stack deletes: say what it said.
            throw new LocalStackException("formatting Kafka's storage failed with code %d:%n%s".formatted(exit, formatter.tailOfLog()));
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
        if (process != null) {
            process.close();
        }
    }

    /** SIGKILL, as in a crash: what the broker had not written to its log files is lost. */
    @Override
    public void kill() {
        if (process != null) {
            process.stop(Duration.ZERO);
        }
    }
}
