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

/**
 * One Kafka broker in KRaft combined mode (broker and controller), as its own JVM on loopback, so that it
 * can be killed and restarted like a real one.
 */
final class KafkaBroker implements LocalServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final ChildProcess process;
    private final int port;

    private KafkaBroker(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static KafkaBroker start(int port, Path home, Path logs) {
        Path config = home.resolve("server.properties");
        Path data = home.resolve("data");
        writeConfig(config, port, Ports.freePort(), data);
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(config, logs.resolve("kafka-format.log"));
        }
        ChildProcess process = ChildProcess.start("Kafka broker", javaCommand("kafka.Kafka", config.toString()),
                logs.resolve("kafka.log"));
        KafkaBroker broker = new KafkaBroker(process, port);
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

    private static void writeConfig(Path config, int port, int controllerPort, Path data) {
        List<String> lines = List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d".formatted(port, controllerPort),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
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
            Files.write(config, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private static void format(Path config, Path log) {
        List<String> command = javaCommand("kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString());
        ChildProcess formatter = ChildProcess.start("Kafka storage format", command, log);
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
        process.close();
    }

    @Override
    public void kill() {
        process.stop(Duration.ZERO);
    }
}
