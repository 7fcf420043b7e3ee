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

    /** The context's stop goes on with its other beans meanwhile, and waits for the callback within its phase timeout. */
    @Test
    void aStopWithACallbackReturnsAtOnceAndCallsBackWhenTheRunInProgressEnds() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PeriodicChore chore = PeriodicChore.fromStartEvery(Duration.ofMillis(5), "slow-chore", () -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        chore.start();
        chore.start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        CountDownLatch stopped = new CountDownLatch(1);

        chore.stop(stopped::countDown);

        assertThat(chore.isRunning()).as("asked while its run goes on").isFalse();
        assertThat(stopped.getCount()).as("not called back while the run goes on").isEqualTo(1);
        release.countDown();
        assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anIntervalThatIsNotPositiveIsAMistakeAtStartUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> PeriodicChore.every(Duration.ZERO, "never", () -> { }))
                .withMessageContaining("never");
    }
}
