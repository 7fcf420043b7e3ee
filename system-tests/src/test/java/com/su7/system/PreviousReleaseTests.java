package com.su7.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreviousReleaseTests {

    private static final String COMMIT = "be6c6baea506a5871b1feeca567054025e24bcf0";

    @TempDir
    Path folder;

    @Test
    void readsTheOneCommitIdAndSkipsTheLinesThatSayWhatItIs() throws IOException {
        Path file = Files.writeString(folder.resolve("previous-release"), "# tag v0.1.0\n\n  %s  \n".formatted(COMMIT));

        assertThat(PreviousRelease.commitIn(file)).isEqualTo(COMMIT);
    }

    @Test
    void refusesATagAShortIdOrTwoIdsNamingTheFile() throws IOException {
        for (String content : new String[] {"v0.1.0\n", "be6c6ba\n", COMMIT + "\n" + COMMIT + "\n", "# nothing\n"}) {
            Path file = Files.writeString(folder.resolve("previous-release"), content);

            assertThatThrownBy(() -> PreviousRelease.commitIn(file)).as(content)
                    .hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("one full commit id");
        }
    }

    @Test
    void theRepositoryNamesThePreviousRelease() {
        assertThat(PreviousRelease.commitIn(Path.of("previous-release"))).matches("[0-9a-f]{40}");
    }
}
