package com.su7.messaging.inbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Keeps {@code processed_event} bounded: deletes ids older than the deduplication window, in chunks. */
public final class ProcessedEventsCleanup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessedEventsCleanup.class);
    private static final int CHUNK = 10_000;

    private final ProcessedEvents processedEvents;
    private final InboxProperties properties;
    private ScheduledExecutorService scheduler;

    public ProcessedEventsCleanup(ProcessedEvents processedEvents, InboxProperties properties) {
        this.processedEvents = processedEvents;
        this.properties = properties;
    }

    /** Deletes every id older than the window; returns how many. */
    public int cleanUp() {
        int total = 0;
        int deleted;
        do {
            deleted = processedEvents.forgetOlderThan(properties.deduplicationWindow(), CHUNK);
            total += deleted;
        } while (deleted == CHUNK);
        if (total > 0) {
            log.info("forgot {} processed event ids older than {}", total, properties.deduplicationWindow());
        }
        return total;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("processed-events-cleanup").factory());
        long interval = properties.cleanupInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                cleanUp();
            } catch (RuntimeException e) {
                log.warn("cleaning up processed event ids failed, next try in {}: {}", properties.cleanupInterval(), e.toString());
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
