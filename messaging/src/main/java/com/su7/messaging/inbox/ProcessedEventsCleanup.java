package com.su7.messaging.inbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** Keeps {@code processed_event} bounded: deletes ids older than the deduplication window, in chunks. */
public final class ProcessedEventsCleanup {

    private static final Logger log = LoggerFactory.getLogger(ProcessedEventsCleanup.class);
    private static final int CHUNK = 10_000;

    private final ProcessedEvents processedEvents;
    private final InboxProperties properties;

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
            // A stopping service interrupts a long clean-up between chunks; the next start goes on from there.
        } while (deleted == CHUNK && !Thread.currentThread().isInterrupted());
        if (total > 0) {
            log.info("forgot {} processed event ids older than {}", total, properties.deduplicationWindow());
        }
        return total;
    }
}
