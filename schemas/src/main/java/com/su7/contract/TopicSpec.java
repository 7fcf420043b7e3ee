package com.su7.contract;

import java.time.Duration;

/**
 * What a topic carries and how it is laid out. Records are always keyed by {@link #key()}, so all events
 * of one aggregate stay in order on one partition.
 *
 * @param name       the topic name (immutable: tests and tools outside the project rely on it)
 * @param key        what the record key is
 * @param partitions how many partitions the producing side creates
 * @param retention  how long records are kept ({@link #FOREVER}: never deleted)
 */
public record TopicSpec(String name, String key, int partitions, Duration retention) {

    /** Kafka's {@code retention.ms = -1}: records are never deleted. */
    public static final Duration FOREVER = Duration.ofMillis(-1);

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic %s needs at least one partition, not %d".formatted(name, partitions));
        }
    }

    /** The dead-letter twin: same partitions, so a record keeps its partition number, and kept longer for ops. */
    public TopicSpec deadLetter() {
        return new TopicSpec(Topics.deadLetterOf(name), key, partitions, Topics.DEAD_LETTER_RETENTION);
    }

    /** The schema registry subject of the record values (TopicIdStrategy). */
    public String valueSubject() {
        return name + "-value";
    }
}
