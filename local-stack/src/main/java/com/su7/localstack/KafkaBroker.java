package com.su7.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One Kafka broker in KRaft combined mode (broker and controller), as its own JVM on loopback, so that it
 * can be killed and restarted like a real one.
 */
final class KafkaBroker implements LocalServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final Path config;
    private final Path log;
    private final int port;
    private ChildProcess process;

    private KafkaBroker(String name, Path config, Path log, int port) {
        this.name = name;
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /** One broker that is its own controller. */
    static KafkaBroker start(int port, Path home, Path logs) {
        int controllerPort = Ports.freePort();
        KafkaBroker broker = prepare(1, port, "1@127.0.0.1:" + controllerPort, controllerPort, 1, home, logs);
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
        List<KafkaBroker> brokers = new ArrayList<>();
        try {
            for (int i = 0; i < ports.size(); i++) {
                KafkaBroker broker = prepare(i + 1, ports.get(i), voters, controllerPorts.get(i), ports.size(),
                        home.resolve("broker-" + (i + 1)), logs);
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

    private static KafkaBroker prepare(int nodeId, int port, String voters, int controllerPort, int brokers, Path home, Path logs) {
        Path config = home.resolve("server.properties");
        writeConfig(config, nodeId, port, voters, controllerPort, brokers, home.resolve("data"));
        String suffix = brokers == 1 ? "" : "-" + nodeId;
        return new KafkaBroker("Kafka broker" + suffix, config, logs.resolve("kafka%s.log".formatted(suffix)), port);
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

    private boolean answers() {
        // A plain connect first: an admin client against a closed port only fills the log with refusals.
        if (!Ports.accepts(port)) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000))) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    private static void writeConfig(Path config, int nodeId, int port, String voters, int controllerPort, int brokers, Path data) {
        String replicas = String.valueOf(brokers);
        String minInSync = String.valueOf(Math.max(1, brokers - 1));
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d".formatted(port, controllerPort),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
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
            Files.write(config, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private void formatOnce(String clusterId, Path formatLog) {
        if (Files.exists(config.resolveSibling("data").resolve("meta.properties"))) {
            return;
        }
        List<String> command = javaCommand("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString());
        ChildProcess formatter = ChildProcess.start("Kafka storage format", command, formatLog);
        int exit = formatter.awaitExit(Duration.ofMinutes(2));
        if (exit != 0) {
            // The log lives in the stack's directory, which a throw-away stack deletes: say what it said.
            throw new LocalStackException("formatting Kafka's storage failed with code %d:%n%s".formatted(exit, formatter.tailOfLog()));
        }
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
