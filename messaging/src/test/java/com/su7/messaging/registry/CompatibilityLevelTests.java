package com.su7.messaging.registry;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static com.su7.messaging.registry.CompatibilityLevel.BACKWARD;
import static com.su7.messaging.registry.CompatibilityLevel.BACKWARD_TRANSITIVE;
import static com.su7.messaging.registry.CompatibilityLevel.FORWARD;
import static com.su7.messaging.registry.CompatibilityLevel.FORWARD_TRANSITIVE;
import static com.su7.messaging.registry.CompatibilityLevel.FULL;
import static com.su7.messaging.registry.CompatibilityLevel.FULL_TRANSITIVE;
import static com.su7.messaging.registry.CompatibilityLevel.NONE;
import static org.assertj.core.api.Assertions.assertThat;

class CompatibilityLevelTests {

    @Test
    void fullTransitiveIsAtLeastAsStrictAsEveryLevelAndNoneAsNoOther() {
        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertThat(FULL_TRANSITIVE.isAtLeastAsStrictAs(level)).as(level.name()).isTrue();
            assertThat(level.isAtLeastAsStrictAs(level)).as(level.name()).isTrue();
            assertThat(level.isAtLeastAsStrictAs(NONE)).as(level.name()).isTrue();
        }
        assertThat(Arrays.stream(CompatibilityLevel.values()).filter(NONE::isAtLeastAsStrictAs)).containsExactly(NONE);
    }

    @Test
    void aTransitiveLevelIsAtLeastAsStrictAsItsLatestOnlyTwin() {
        assertThat(BACKWARD_TRANSITIVE.isAtLeastAsStrictAs(BACKWARD)).isTrue();
        assertThat(FORWARD_TRANSITIVE.isAtLeastAsStrictAs(FORWARD)).isTrue();
        assertThat(FULL_TRANSITIVE.isAtLeastAsStrictAs(FULL)).isTrue();
        assertThat(BACKWARD.isAtLeastAsStrictAs(BACKWARD_TRANSITIVE)).isFalse();
        assertThat(FULL.isAtLeastAsStrictAs(FULL_TRANSITIVE)).isFalse();
    }

    @Test
    void fullIsAtLeastAsStrictAsEitherDirectionOfTheLatestVersion() {
        assertThat(FULL.isAtLeastAsStrictAs(BACKWARD)).isTrue();
        assertThat(FULL.isAtLeastAsStrictAs(FORWARD)).isTrue();
        assertThat(BACKWARD.isAtLeastAsStrictAs(FORWARD)).isFalse();
        assertThat(FORWARD.isAtLeastAsStrictAs(BACKWARD)).isFalse();
    }

    @Test
    void aTransitiveLevelInOneDirectionAndFullAreNeitherStricterNorWeaker() {
        assertThat(BACKWARD_TRANSITIVE.isAtLeastAsStrictAs(FULL)).isFalse();
        assertThat(FULL.isAtLeastAsStrictAs(BACKWARD_TRANSITIVE)).isFalse();
        assertThat(FORWARD_TRANSITIVE.isAtLeastAsStrictAs(FULL)).isFalse();
        assertThat(FULL.isAtLeastAsStrictAs(FORWARD_TRANSITIVE)).isFalse();
    }
}
