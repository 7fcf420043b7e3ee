package com.su7.localstack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Zipkin's server, the trace backend: its executable jar from the local Maven repository as a Java 21+ process, spans
 * in memory (the newest {@value #MAX_SPANS} kept), its UI and API on loopback. Measured here: ready in ~4 s, ~235 MB
 * resident, no CPU while idle.
 */
final class ZipkinServer implements LocalServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * A span held in memory takes over a kilobyte of heap (300,000 ran a 384 MB heap out of memory in the pipeline
     * benchmark at sampling 1.0); a launch sampled at 0.1 sends ~15 spans per traced preorder: 100,000 keep the last
     * ~6,500 traced preorders.
     */
    private static final int MAX_SPANS = 100_000;

    private final int port;
    private final ChildProcess process;

    private ZipkinServer(int port, ChildProcess process) {
        this.port = port;
        this.process = process;
    }

    static ZipkinServer start(int port, Path logs) {
        String version = LocalArtifacts.version("zipkin-server.version");
        Path jar = LocalArtifacts.inMavenRepository("Zipkin's server", "io.zipkin", "zipkin-server", version, "exec", "jar");
        ChildProcess process = ChildProcess.start("Zipkin", List.of(
                JavaRuntimes.java21OrNewer().toString(),
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(),
                // Armeria serves the UI and the API: on loopback only, on this port only (not also on 9411).
                "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].port=" + port,
                "--armeria.ports[0].protocols=http",
                "--zipkin.storage.type=mem",
                "--zipkin.storage.mem.max-spans=" + MAX_SPANS), logs.resolve("zipkin.log"));
        ZipkinServer zipkin = new ZipkinServer(port, process);
        try {
            process.awaitReady(READY_TIMEOUT, () -> ChildProcess.answersOk(URI.create(zipkin.url() + "/health")));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return zipkin;
    }

    /** The UI (a trace: {@code /zipkin/traces/{traceId}}) and the API ({@code /api/v2/...}). */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where the services send their spans (Zipkin's v2 JSON). */
    String spansEndpoint() {
        return url() + "/api/v2/spans";
    }

    long pid() {
        return process.pid();
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
