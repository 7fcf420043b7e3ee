package com.su7.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service's executable jar running as its own OS process, as in production. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path RUN_SERVICE = Path.of("..", "scripts", "run-service.sh").toAbsolutePath().normalize();

    /** How the JVM is started. */
    enum Launch {
        /** As run.sh starts it: scripts/run-service.sh, the jar extracted and run with an AOT cache of this JDK. */
        FAST_START,
        /** {@code java -jar} on the executable jar itself, as services started before: the start-up benchmark's baseline. */
        PLAIN_JAR
    }

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> environment;
    private final Path log;
    private final List<String> jvmOptions;
    private final Launch launch;
    private Process process;

    ServiceProcess(String name, Path jar, int port, Map<String, String> environment, Path log, List<String> jvmOptions) {
        this(name, jar, port, environment, log, jvmOptions, Launch.FAST_START);
    }

    private ServiceProcess(String name, Path jar, int port, Map<String, String> environment, Path log, List<String> jvmOptions,
                           Launch launch) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.environment = environment;
        this.log = log;
        this.jvmOptions = jvmOptions;
        this.launch = launch;
    }

    /** The same service (name, port, settings, JVM) from another jar, not yet started: an upgrade of this instance. */
    ServiceProcess runningJarOf(Path otherJar, Path otherLog) {
        return new ServiceProcess(name, otherJar, port, environment, otherLog, jvmOptions, launch);
    }

    /** The same service (name, jar, port, settings, JVM options) started another way, not yet started. */
    ServiceProcess launchedAs(Launch otherLaunch) {
        return new ServiceProcess(name, jar, port, environment, log, jvmOptions, otherLaunch);
    }

    String name() {
        return name;
    }

    /** The running process's id (for its CPU and memory under /proc). */
    long pid() {
        return process.pid();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    void start() {
        String javaHome = System.getProperty("java.home");
        List<String> command = new ArrayList<>();
        if (launch == Launch.FAST_START) {
            // The script execs the JVM: the process (its pid, its SIGKILL) is the service's JVM once it runs.
            command.addAll(List.of(RUN_SERVICE.toString(), jar.toString()));
            command.addAll(jvmOptions);
        } else {
            command.add(Path.of(javaHome, "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("JAVA_HOME", javaHome);
        try {
            Files.createDirectories(log.getParent());
            Process started = builder.start();
            // A test JVM ended early (Ctrl-C, a killed benchmark, Surefire's timeout) must not leave the service running.
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(started::destroyForcibly));
            process = started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("%s exited with %d during start-up; see %s".formatted(name, process.exitValue(), log));
            }
            if (ready()) {
                return;
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS); // fine enough for the start-up benchmark's times
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("%s not ready within %s; see %s".formatted(name, timeout, log));
    }

    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(baseUri().resolve("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no graceful drain — what a crash looks like. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
