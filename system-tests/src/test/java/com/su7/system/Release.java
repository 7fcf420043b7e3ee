package com.su7.system;

import com.su7.contract.SchemaTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A build of the services: their executable jars in the modules' target/ folders of a source tree. The current build
 * is this repository (system-tests is built after the services); an earlier release is a tree of its own
 * ({@link PreviousRelease}).
 *
 * @param name       how logs and reports name it ("current", "v0.1.0")
 * @param repository the source tree's root
 */
record Release(String name, Path repository) {

    static final Release CURRENT = new Release("current", Path.of(".."));

    /** The executable jar of a service ("orders", "production", "delivery"). */
    Path jar(String service) {
        return moduleJar(service + "-service");
    }

    /** The executable jar a module builds ("ops-console"). */
    Path moduleJar(String module) {
        Path target = repository.resolve(module).resolve("target");
        try (var files = Files.list(target)) {
            return files.filter(path -> path.getFileName().toString().matches(module + "-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no executable jar in %s: build with ./mvnw package first".formatted(target)))
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + target, e);
        }
    }

    /** Its event schemas as its {@code schemas} module defines them. */
    SchemaTree schemas() {
        return SchemaTree.read(repository.resolve("schemas").resolve("src").resolve("main").resolve("avro"));
    }

    /** Where a service of this build logs: the current build's logs keep the names they always had. */
    Path log(String serviceProcess) {
        String suffix = this.equals(CURRENT) ? "" : "-" + name;
        return Path.of("target", "system-logs", serviceProcess + suffix + ".log");
    }
}
