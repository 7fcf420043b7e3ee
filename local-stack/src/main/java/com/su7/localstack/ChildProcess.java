package com.su7.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A server started as its own OS process, its output in a log file, stopped with its descendants. */
final class ChildProcess implements AutoCloseable {

    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String name, List<String> command, Path log) {
        return start(name, new ProcessBuilder(command), log);
    }

    /** Starts the prepared command (with its environment); its output goes to the log. */
    static ChildProcess start(String name, ProcessBuilder command, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process process = command
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildProcess(name, process, log);
        } catch (IOException e) {
            throw new LocalStackException("could not start %s: %s".formatted(name, e.getMessage()), e);
        }
    }

    /** Waits until the probe answers true; fails with the end of the log when the process dies or time runs out. */
    void awaitReady(Duration timeout, BooleanSupplier probe) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new LocalStackException("%s exited with code %d before it was ready; its log %s ends with:%n%s"
                        .formatted(name, process.exitValue(), log, tailOfLog()));
            }
            if (probe.getAsBoolean()) {
                return;
            }
            pause(Duration.ofMillis(200));
        }
        throw new LocalStackException("%s was not ready within %s; its log %s ends with:%n%s"
                .formatted(name, timeout, log, tailOfLog()));
    }

    /** Whether a GET of the URL answers 200 within two seconds: the readiness probe of the servers that speak HTTP. */
    static boolean answersOk(URI url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs to completion, for one-shot tools such as Kafka's storage formatter. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new LocalStackException("%s did not finish within %s; see %s".formatted(name, timeout, log));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for " + name, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, a grace period, then SIGKILL; descendants too, so nothing is left behind. */
    @Override
    public void close() {
        stop(GRACEFUL_STOP);
    }

    /** Stops within the grace period; with none, kills at once (for throw-away data nothing is worth a wait). */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (grace.isZero()) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        descendants.forEach(grace.isZero() ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }
}
