package com.su7.testsupport;

import com.su7.localstack.LocalStack;
import com.su7.localstack.LocalStackSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one local stack of this test JVM: started on first use on free ports (so tests run beside
 * {@code ./run.sh} on the default ports), stopped when the JVM exits.
 */
public final class SharedLocalStack {

    private static LocalStack stack;

    private SharedLocalStack() {
    }

    public static synchronized LocalStack get() {
        if (stack == null) {
            LocalStackSettings settings = LocalStackSettings.onFreePorts();
            // Benchmarks quoted as durable ask for a data directory, which turns fsync and synchronous_commit on.
            Path durableData = Boolean.getBoolean("local-stack.durable") ? temporaryDirectory() : null;
            if (durableData != null) {
                settings = settings.withDataDirectory(durableData);
            }
            LocalStack started = LocalStack.start(settings);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                if (durableData != null) {
                    deleteRecursively(durableData);
                }
            }, "local-stack-shutdown"));
            System.out.print(started.describe());
            stack = started;
        }
        return stack;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + directory + ": " + e.getMessage());
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("su7-durable-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
