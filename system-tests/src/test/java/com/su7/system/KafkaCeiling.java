package com.su7.system;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker's raw limit on this machine, measured with Kafka's own tools ({@code ProducerPerformance},
 * {@code ConsumerPerformance}) run as separate JVMs against the same broker the pipeline uses, with the
 * pipeline's producer settings (acks=all, idempotent, linger 5 ms, lz4, 6 partitions).
 */
final class KafkaCeiling {

    private static final Pattern PRODUCED = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");

    private final Map<String, Object> clientSettings;
    private final String bootstrapServers;
    private final Path logs;

    /** @param clientSettings how to reach the broker (bootstrap servers, SASL) as a user who may create topics */
    KafkaCeiling(Map<String, Object> clientSettings, Path logs) {
        this.clientSettings = clientSettings;
        this.bootstrapServers = String.valueOf(clientSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.logs = logs;
    }

    record Rates(double producedPerSecond, double consumedPerSecond) {
    }

    Rates measure(String topic, int records, int recordSize) {
        Path config = clientConfig();
        try (Admin admin = Admin.create(clientSettings)) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String produced = run("org.apache.kafka.tools.ProducerPerformance", topic + "-producer",
                "--topic", topic, "--num-records", String.valueOf(records), "--record-size", String.valueOf(recordSize),
                "--throughput", "-1", "--producer.config", config.toString(), "--producer-props", "acks=all",
                "enable.idempotence=true", "linger.ms=5", "batch.size=65536", "compression.type=lz4");
        Matcher producer = PRODUCED.matcher(produced);
        String last = null;
        while (producer.find()) {
            last = producer.group(2);
        }
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no summary:\n" + produced);
        }
        String consumed = run("org.apache.kafka.tools.ConsumerPerformance", topic + "-consumer",
                "--bootstrap-server", bootstrapServers, "--consumer.config", config.toString(), "--topic", topic,
                "--messages", String.valueOf(records),
                "--timeout", "60000", "--hide-header");
        // start.time, end.time, MB, MB/s, messages, messages/s, rebalance ms, fetch ms, fetch MB/s, fetch messages/s
        String summary = consumed.lines().filter(line -> line.split(",").length >= 10).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("ConsumerPerformance printed no summary:\n" + consumed));
        String[] columns = summary.split(",");
        return new Rates(Double.parseDouble(last), Double.parseDouble(columns[9].trim()));
    }

    /** The client settings as a properties file for Kafka's tools (it holds a password: readable by its owner only). */
    private Path clientConfig() {
        Properties properties = new Properties();
        clientSettings.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        try {
            Files.createDirectories(logs);
            Path file = logs.resolve("kafka-client.properties");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newBufferedWriter(file)) {
                properties.store(out, "Kafka client settings of the pipeline benchmark");
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the Kafka tools' client settings", e);
        }
    }

    private String run(String mainClass, String name, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        Path log = logs.resolve(name + ".log");
        try {
            Files.createDirectories(logs);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("%s did not finish within 5 minutes; see %s".formatted(mainClass, log));
            }
            String output = Files.readString(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("%s exited with %d:%n%s".formatted(mainClass, process.exitValue(), output));
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + mainClass, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
