package com.su7.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a Java 21+ to run the schema registry, which (unlike Kafka) needs one. */
final class JavaRuntimes {

    private static final int REGISTRY_MINIMUM = 21;

    private JavaRuntimes() {
    }

    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path java21OrNewer() {
        if (Runtime.version().feature() >= REGISTRY_MINIMUM) {
            return currentJava();
        }
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("REGISTRY_JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jvms.sorted(Comparator.reverseOrder()).forEach(candidates::add);
        } catch (IOException ignored) {
            // no system JVM directory: only the environment can help
        }
        return candidates.stream()
                .filter(home -> featureVersion(home) >= REGISTRY_MINIMUM)
                .map(home -> home.resolve("bin/java"))
                .findFirst()
                .orElseThrow(() -> new LocalStackException(
                        "the schema registry needs Java %d or newer and none was found: set REGISTRY_JAVA_HOME or JAVA_HOME to a JDK %d+"
                                .formatted(REGISTRY_MINIMUM, REGISTRY_MINIMUM)));
    }

    private static int featureVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isExecutable(javaHome.resolve("bin/java")) || !Files.isReadable(release)) {
            return 0;
        }
        try {
            return Files.readAllLines(release).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(version -> Integer.parseInt(version.split("[.+-]")[0]))
                    .findFirst().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
