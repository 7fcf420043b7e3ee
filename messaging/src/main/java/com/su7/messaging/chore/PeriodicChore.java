package com.su7.messaging.chore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Work a service runs on its own, every {@code interval} from its start to its stop, on a thread of its own named
 * after it (a thread dump says which chore is slow, and a slow one delays no other). A run that fails, even with an
 * Error, is logged and the next runs on schedule: a scheduled task that throws is never run again, and a chore that
 * stops silently (a gauge frozen, ids piling up, held records never released, lines that build nothing) is found
 * only by its consequences. A stop lets the run in progress end (up to {@link #STOP_GRACE}), then interrupts it; the
 * context's stop waits for that in parallel with its other beans, within its per-phase timeout.
 */
public final class PeriodicChore implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicChore.class);

    /** How long a stop waits for the run in progress (a production day, a chunk of deletes) before interrupting it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final Duration initialDelay;
    private final Duration interval;
    private final Runnable work;
    private volatile ScheduledExecutorService scheduler;

    /** {@code name}: what the chore does, as a thread name ("outbox-backlog"). */
    public PeriodicChore(String name, Duration initialDelay, Duration interval, Runnable work) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval of %s must be positive, not %s".formatted(name, interval));
        }
        this.name = name;
        this.initialDelay = initialDelay;
        this.interval = interval;
        this.work = work;
    }

    /** Runs every {@code interval}, the first time one interval after the start. */
    public static PeriodicChore every(Duration interval, String name, Runnable work) {
        return new PeriodicChore(name, interval, interval, work);
    }

    /** Runs at the start, then every {@code interval}. */
    public static PeriodicChore fromStartEvery(Duration interval, String name, Runnable work) {
        return new PeriodicChore(name, Duration.ZERO, interval, work);
    }

    private void runOnce() {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("chore {} failed (tried again in {}): {}", name, interval, e.toString());
        } catch (Throwable e) {
            log.error("chore {} failed (tried again in {})", name, interval, e);
        }
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
        scheduler.scheduleWithFixedDelay(this::runOnce, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops and waits for the run in progress (up to {@link #STOP_GRACE}). */
    @Override
    public void stop() {
        ScheduledExecutorService stopping = shutDown();
        if (stopping != null) {
            awaitRunInProgress(stopping);
        }
    }

    /**
     * Stops without holding up the caller: the context's stop goes on with its other beans, and waits for the callback
     * no longer than its per-phase timeout (a clean-up deleting in chunks must not push a pod past its grace period).
     */
    @Override
    public void stop(Runnable callback) {
        ScheduledExecutorService stopping = shutDown();
        if (stopping == null) {
            callback.run();
            return;
        }
        Thread.ofVirtual().name(name + "-stop").start(() -> {
            awaitRunInProgress(stopping);
            callback.run();
        });
    }

    private synchronized ScheduledExecutorService shutDown() {
        ScheduledExecutorService running = scheduler;
        if (running != null) {
            running.shutdown();
        }
        return running;
    }

    private void awaitRunInProgress(ScheduledExecutorService stopping) {
        try {
            if (!stopping.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("chore {} did not end its run within {} of the stop: interrupted", name, STOP_GRACE);
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService running = scheduler;
        return running != null && !running.isShutdown();
    }

    @Override
    public String toString() {
        return "chore " + name + " every " + interval;
    }
}
