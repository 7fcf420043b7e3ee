package com.su7.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The servers the stack runs from the local Maven repository (the registry's archive, Zipkin's jar): their versions,
 * as this module's build fetched them ({@code local-stack/versions.properties}), and where they are.
 */
final class LocalArtifacts {

    private LocalArtifacts() {
    }

    static String version(String key) {
        try (InputStream in = LocalArtifacts.class.getResourceAsStream("/local-stack/versions.properties")) {
            Properties versions = new Properties();
            versions.load(in);
            return versions.getProperty(key);
        } catch (IOException | NullPointerException e) {
            throw new LocalStackException("local-stack/versions.properties is missing from the classpath", e);
        }
    }

    /** The artifact's file, which must be there: the build of this module fetches it. */
    static Path inMavenRepository(String what, String groupId, String artifactId, String version, String classifier, String type) {
        Path file = mavenRepository().resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve("%s-%s-%s.%s".formatted(artifactId, version, classifier, type));
        if (!Files.isReadable(file)) {
            throw new LocalStackException(("%s %s is not in the local Maven repository (%s): "
                    + "build once with ./mvnw package -DskipTests, which fetches it").formatted(what, version, file));
        }
        return file;
    }

    private static Path mavenRepository() {
        String configured = System.getProperty("maven.repo.local", System.getenv("MAVEN_REPO_LOCAL"));
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
