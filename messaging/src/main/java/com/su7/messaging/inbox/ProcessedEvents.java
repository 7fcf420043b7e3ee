package com.su7.messaging.inbox;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The record of which events each consumer has applied: the memory that makes consumers idempotent. */
public final class ProcessedEvents {

    private final JdbcTemplate jdbc;

    public ProcessedEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the events as processed by the consumer and returns the ids that were not recorded before: only
     * those may be applied. Must run in the transaction that applies them.
     */
    Set<String> markNew(String consumer, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("""
                insert into processed_event (consumer, event_id)
                select ?, unnest(?::text[])
                on conflict do nothing
                returning event_id""", String.class, consumer, eventIds.toArray(String[]::new)));
    }

    /** Forgets events processed longer ago than the window, a chunk at a time; returns how many. */
    public int forgetOlderThan(Duration window, int chunk) {
        return jdbc.update("""
                delete from processed_event where ctid in (
                    select ctid from processed_event where processed_at < now() - ?::interval limit ?)""",
                "%d seconds".formatted(window.toSeconds()), chunk);
    }
}
