package com.su7.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The stack's generated passwords and secrets: 128 random bits in hex, so they need no escaping in SQL literals,
 * JAAS lines or shell exports; where one must outlive a run, it is kept in a file only its owner may read.
 */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String random() {
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** The secret in {@code file}, generated and written there (owner-only) on first use. */
    static String kept(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(file.getParent());
            String secret = random();
            writeOwnerOnly(file, List.of(secret));
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a password in " + file, e);
        }
    }

    /** Replaces the file with one that only its owner may read or write (mode 600), created so before it holds anything. */
    static void writeOwnerOnly(Path file, List<String> lines) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, lines);
    }
}
