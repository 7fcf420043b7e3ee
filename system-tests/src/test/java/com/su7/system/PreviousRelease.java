package com.su7.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The release a rolling upgrade starts from: the commit {@code system-tests/previous-release} names (an id, since a
 * tag may not travel with a clone), taken out of this repository's history into a tree of its own under
 * {@code target/previous-release/<commit>/} and built there by its own Maven wrapper, as its Dockerfile builds a
 * service (tests skipped). Built once per commit: the jars stay until {@code mvn clean}.
 * <p>
 * The tree is a {@code git archive} of the commit, not a {@code git worktree}: it leaves no entry in the repository's
 * worktree list to go stale when {@code target/} is cleaned.
 *
 * @param commit the release's commit id
 * @param tags   the tags on it in this clone (none where tags did not travel)
 */
record PreviousRelease(String commit, List<String> tags, Release release) {

    private static final Path FILE = Path.of("previous-release");
    private static final Path REPOSITORY = Path.of("..");
    private static final String SERVICE_MODULES = "orders-service,production-service,delivery-service";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    /** The release named in {@code system-tests/previous-release}, built unless it was already. */
    static PreviousRelease build() {
        String commit = commitIn(FILE);
        if (!Git.hasCommit(REPOSITORY, commit)) {
            throw new IllegalStateException(("%s names commit %s, which this clone does not have: the rehearsal needs the "
                    + "repository's history (a shallow clone: git fetch --unshallow)").formatted(FILE.toAbsolutePath(), commit));
        }
        List<String> tags = Git.run(REPOSITORY, "tag", "--points-at", commit).lines().filter(tag -> !tag.isBlank()).toList();
        Path tree = Path.of("target", "previous-release", commit).toAbsolutePath();
        Path built = tree.resolve(".built");
        if (Files.exists(built)) {
            System.out.println("previous release " + commit + ": built before, in " + tree);
        } else {
            Path log = tree.resolveSibling(commit + "-build.log");
            extract(commit, tree, log);
            buildServices(tree, log);
            write(built, commit + "\n");
        }
        return new PreviousRelease(commit, tags, new Release(tags.isEmpty() ? commit.substring(0, 7) : tags.getFirst(), tree));
    }

    /** "v0.1.0 (be6c6ba…)": the name a reader knows, and the id that holds where tags did not travel. */
    String describe() {
        return tags.isEmpty() ? commit : "%s (%s)".formatted(String.join(", ", tags), commit);
    }

    /** The one commit id of the file; lines starting with # say what it is. */
    static String commitIn(Path file) {
        List<String> ids;
        try (Stream<String> lines = Files.lines(file)) {
            ids = lines.map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
        if (ids.size() != 1 || !ids.getFirst().matches("[0-9a-f]{40}")) {
            throw new IllegalStateException("%s must hold one full commit id (40 hex digits), not %s".formatted(file.toAbsolutePath(), ids));
        }
        return ids.getFirst();
    }

    private static void extract(String commit, Path tree, Path log) {
        if (Files.exists(tree)) {
            FaultSystem.deleteRecursively(tree); // an extraction or a build that did not finish
        }
        Path archive = tree.resolveSibling(commit + ".tar");
        try {
            Files.createDirectories(tree);
            Git.run(REPOSITORY, "archive", "--format=tar", "--output=" + archive, commit);
            run(List.of("tar", "-xf", archive.toString(), "-C", tree.toString()), tree, log, Duration.ofMinutes(5));
            Files.delete(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take commit %s out into %s".formatted(commit, tree), e);
        }
    }

    /**
     * With the JDK this test runs on, offline when this build is ({@code settings.offline}, passed on by the pom), on
     * the same local repository; {@code package} only, so nothing of the old release reaches the repository.
     */
    private static void buildServices(Path tree, Path log) {
        List<String> command = new ArrayList<>(List.of(tree.resolve("mvnw").toString(), "-B", "-q", "package",
                "-Dmaven.test.skip=true", "-pl", SERVICE_MODULES, "-am"));
        if (Boolean.getBoolean("previous-release.maven-offline")) {
            command.add("-o");
        }
        String repository = System.getProperty("previous-release.maven-repository", "");
        if (!repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        System.out.println("building the previous release's services in " + tree + " (log: " + log + ")");
        long started = System.nanoTime();
        run(command, tree, log, BUILD_TIMEOUT);
        System.out.printf("previous release built in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static void run(List<String> command, Path directory, Path log, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Set by the Maven running this test; the release's own wrapper finds its own project.
        builder.environment().keySet().removeIf(name -> name.equals("MAVEN_PROJECTBASEDIR") || name.equals("MAVEN_BASEDIR"));
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("%s did not finish within %s; see %s".formatted(command.getFirst(), timeout, log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("%s failed (%d); see %s".formatted(String.join(" ", command), process.exitValue(), log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
