package com.su7.simulation;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchBacklogTests {

    private static final Instant T0 = Instant.parse("2026-03-28T10:00:00Z");

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void keepingUpLeavesOneWaitingAtMostAndNoDelayBeyondThePlacingTime() {
        LaunchBacklog backlog = LaunchBacklog.of(List.of(at(0), at(100), at(200)), List.of(at(10), at(110), at(210)));

        assertThat(backlog.maxPreorders()).isEqualTo(1);
        assertThat(backlog.maxDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(backlog.neverPlaced()).isZero();
    }

    @Test
    void aBurstPlacedLateShowsHowManyWaitedAndForHowLong() {
        // Four sent at once, placed one a second later each; then one more sent after the backlog cleared.
        LaunchBacklog backlog = LaunchBacklog.of(List.of(at(0), at(0), at(0), at(0), at(10_000)),
                List.of(at(1_000), at(2_000), at(3_000), at(4_000), at(10_050)));

        assertThat(backlog.maxPreorders()).isEqualTo(4);
        assertThat(backlog.maxPreordersAt()).contains(at(0));
        assertThat(backlog.maxDelay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(backlog.neverPlaced()).isZero();
    }

    @Test
    void preordersNeverPlacedStayInTheBacklog() {
        LaunchBacklog backlog = LaunchBacklog.of(List.of(at(0), at(100), at(200)), List.of(at(50)));

        assertThat(backlog.maxPreorders()).isEqualTo(2);
        assertThat(backlog.maxPreordersAt()).contains(at(200));
        assertThat(backlog.neverPlaced()).isEqualTo(2);
        assertThat(backlog.maxDelay()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void nothingSentIsNoBacklog() {
        LaunchBacklog backlog = LaunchBacklog.of(List.of(), List.of());

        assertThat(backlog.maxPreorders()).isZero();
        assertThat(backlog.maxPreordersAt()).isEmpty();
        assertThat(backlog.maxDelay()).isZero();
    }
}
