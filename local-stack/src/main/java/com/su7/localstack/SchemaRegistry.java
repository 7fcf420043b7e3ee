package com.su7.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Apicurio Registry, run from its distribution in the local Maven repository as a Java 21+ process.
 * It stores schemas in PostgreSQL, so schema ids survive a restart of the registry.
 */
final class SchemaRegistry implements LocalServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final ProcessBuilder command;
    private final Path log;
    private final int port;
    private ChildProcess process;

    private SchemaRegistry(ProcessBuilder command, Path log, int port) {
        this.command = command;
        this.log = log;
        this.port = port;
    }

    static SchemaRegistry start(int port, DatabaseAccess storage, Path logs) {
        Path distribution = unpackedDistribution();
        ProcessBuilder command = new ProcessBuilder(
                JavaRuntimes.java21OrNewer().toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + Ports.freePort(),
                "-Dapicurio.storage.kind=sql",
                "-Dapicurio.storage.sql.kind=postgresql",
                "-Dapicurio.datasource.url=" + storage.jdbcUrl(),
                "-Dapicurio.datasource.username=" + storage.username(),
                "-jar", distribution.resolve("quarkus-run.jar").toString());
        // In the child's environment, not its command line: ps shows no secret.
        command.environment().put("APICURIO_DATASOURCE_PASSWORD", storage.password());
        SchemaRegistry registry = new SchemaRegistry(command, logs.resolve("registry.log"), port);
        registry.launch();
        return registry;
    }

    /** Starts the registry again on its port after {@link #close()} or {@link #kill()}; its schemas are in PostgreSQL. */
    void restart() {
        if (process != null && process.isAlive()) {
            throw new LocalStackException("the schema registry is still running");
        }
        launch();
    }

    private void launch() {
        process = ChildProcess.start("schema registry", command, log);
        try {
            process.awaitReady(READY_TIMEOUT, this::answers);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    private boolean answers() {
        return ChildProcess.answersOk(URI.create(url() + "/apis/ccompat/v7/subjects"));
    }

    /** Unpacks the distribution once into a cache shared by every clone and test JVM on this machine. */
    private static Path unpackedDistribution() {
        String version = LocalArtifacts.version("apicurio-registry-app.version");
        Path archive = LocalArtifacts.inMavenRepository("Apicurio Registry", "io.apicurio", "apicurio-registry-app", version, "all", "tar.gz");
        Path target = Path.of(System.getProperty("user.home"), ".cache", "su7-local-stack", "apicurio-registry-app-" + version);
        if (Files.exists(target.resolve("quarkus-run.jar"))) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            // Unpack beside the target and move it in at once, so concurrent JVMs never see half a distribution.
            Path staging = Files.createTempDirectory(target.getParent(), "unpacking-");
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", staging.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) {
                throw new LocalStackException("unpacking %s failed: %s".formatted(archive, output));
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException alreadyThere) {
                if (!Files.exists(target.resolve("quarkus-run.jar"))) {
                    throw alreadyThere;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while unpacking the registry", e);
        }
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
