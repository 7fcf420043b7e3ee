package com.su7.system;

import com.su7.localstack.HttpClientCredentials;
import com.su7.localstack.LocalStack;
import com.su7.localstack.LocalStackSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The system the fault cases break: its own local stack (not the shared one: faults must not leak into other
 * tests) on a kept data directory, so PostgreSQL is durable and every part restarts on its own data, and the
 * three services on it.
 */
final class FaultSystem implements AutoCloseable {

    private static FaultSystem shared;

    private final Path data;
    private final LocalStack stack;
    private final RunningSystem system;

    private FaultSystem(Path data, LocalStack stack, RunningSystem system) {
        this.data = data;
        this.stack = stack;
        this.system = system;
    }

    /**
     * One broker; started once per test JVM, stopped when it exits. The caller calls the services with this stack's
     * clients: another test's system (the end-to-end tests', on the shared stack) may have started in between.
     */
    static synchronized FaultSystem shared() {
        if (shared == null) {
            FaultSystem started = start(1);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "fault-system-shutdown"));
            shared = started;
        }
        Api.useClients(shared.stack.accessTokens(HttpClientCredentials.OPS), shared.stack.accessTokens(HttpClientCredentials.APP));
        return shared;
    }

    static FaultSystem start(int kafkaBrokers) {
        return start(kafkaBrokers, Release.CURRENT);
    }

    /** @param release whose jars the services run */
    static FaultSystem start(int kafkaBrokers, Release release) {
        Path data = temporaryDirectory();
        LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts().withDataDirectory(data), kafkaBrokers);
        System.out.print(stack.describe());
        try {
            return new FaultSystem(data, stack, RunningSystem.start(stack, Duration.ofSeconds(1), Map.of(),
                    name -> RunningSystem.TEST_JVM, release));
        } catch (RuntimeException e) {
            stack.close();
            deleteRecursively(data);
            throw e;
        }
    }

    LocalStack stack() {
        return stack;
    }

    RunningSystem system() {
        return system;
    }

    @Override
    public void close() {
        system.close();
        stack.close();
        deleteRecursively(data);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("su7-fault-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + directory + ": " + e.getMessage());
        }
    }
}
