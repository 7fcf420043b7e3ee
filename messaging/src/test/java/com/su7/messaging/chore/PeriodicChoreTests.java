package com.su7.messaging.chore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PeriodicChoreTests {

    @Test
    void aRunThatFailsEvenWithAnErrorIsFollowedByTheNextOnSchedule() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        PeriodicChore chore = PeriodicChore.fromStartEvery(Duration.ofMillis(5), "failing-chore", () -> {
            runs.incrementAndGet();
            third.countDown();
            if (runs.get() == 1) {
                throw new IllegalStateException("the database is away");
            }
            if (runs.get() == 2) {
                throw new StackOverflowError("a chore that recursed");
            }
        });
        chore.start();
        try {
            assertThat(third.await(30, TimeUnit.SECONDS)).as("runs after an exception and after an Error").isTrue();
        } finally {
            chore.stop();
        }
        assertThat(chore.isRunning()).isFalse();
    }

    @Test
    void aChoreThatStoppedRunsNoMore() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        PeriodicChore chore = PeriodicChore.fromStartEvery(Duration.ofMillis(5), "stopped-chore", () -> {
            runs.incrementAndGet();
            first.countDown();
        });
        chore.start();
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
        chore.stop();
        int afterStop = runs.get();
        Thread.sleep(50);
        assertThat(runs.get()).isLessThanOrEqualTo(afterStop + 1);
    }

    @Test
    void anIntervalThatIsNotPositiveIsAMistakeAtStartUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> PeriodicChore.every(Duration.ZERO, "never", () -> { }))
                .withMessageContaining("never");
    }
}
