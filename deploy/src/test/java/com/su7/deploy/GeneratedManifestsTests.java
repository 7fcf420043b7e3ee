package com.su7.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedManifestsTests {

    /** Tests run in the module's directory. */
    static final Path REPOSITORY = Path.of("..");

    @Test
    void committedFilesAreWhatTheCatalogsGenerate() throws IOException {
        for (Map.Entry<Path, String> file : GeneratedManifests.render().entrySet()) {
            assertThat(Files.readString(REPOSITORY.resolve(file.getKey())))
                    .as("%s differs from the catalogs: regenerate it from the repository's root with%n  %s",
                            file.getKey(), GeneratedManifests.REGENERATE)
                    .isEqualTo(file.getValue());
        }
    }
}
