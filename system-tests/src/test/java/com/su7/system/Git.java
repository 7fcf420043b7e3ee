package com.su7.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git command line on this repository: which commits exist, and a commit's tree taken out of it. */
final class Git {

    private Git() {
    }

    /** {@code git <arguments>} in {@code repository}: its output, trimmed; a failure says what git said. */
    static String run(Path repository, String... arguments) {
        Outcome outcome = attempt(repository, arguments);
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("git %s failed (%d): %s".formatted(String.join(" ", arguments), outcome.exitCode(), outcome.output()));
        }
        return outcome.output();
    }

    /** Whether the commit is in this clone (a shallow clone may not have it). */
    static boolean hasCommit(Path repository, String commit) {
        return attempt(repository, "cat-file", "-e", commit + "^{commit}").exitCode() == 0;
    }

    /** The commit checked out here, and whether the working tree differs from it. */
    static String describeHead(Path repository) {
        String head = run(repository, "rev-parse", "HEAD");
        return run(repository, "status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + " with uncommitted changes";
    }

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome attempt(Path repository, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("git %s did not finish".formatted(String.join(" ", arguments)));
            }
            return new Outcome(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run git (needed to build the previous release)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
