package com.su7.messaging.inbox;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How far each consumer that asks for it ({@link EventInbox#consumer(String, Class, java.util.function.Function,
 * java.util.function.Function, BatchEventHandler)}) has read each partition of its topic, in its events' own time: the
 * latest event time of each partition's records handled. Partitions are each read in order but not at the same pace;
 * the earliest of their latest times is one before which every event has been read (events at that very time may
 * still be on their way: a batch can end among events that share a time). A rate observed over a window
 * ending there counts every event of the window; one ending after the latest event of all misses those of the
 * partitions behind (a launch with one-second factory days missed half the builds).
 */
public final class PartitionsRead {

    private final JdbcTemplate jdbc;

    public PartitionsRead(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes the latest event time read from each partition; an earlier time than one noted changes nothing. */
    void note(String consumer, Map<Integer, Instant> latestByPartition) {
        if (latestByPartition.isEmpty()) {
            return;
        }
        jdbc.update("""
                        insert into partition_read (consumer, topic_partition, read_up_to)
                        select ?, p, t from unnest(?::int[], ?::timestamptz[]) as read(p, t)
                        on conflict (consumer, topic_partition) do update
                            set read_up_to = greatest(partition_read.read_up_to, excluded.read_up_to)""",
                consumer, latestByPartition.keySet().toArray(Integer[]::new),
                latestByPartition.values().stream().map(Timestamp::from).toArray(Timestamp[]::new));
    }

    /** The time up to which the consumer has read every partition it noted; empty before any. */
    public Optional<Instant> everyPartitionReadUpTo(String consumer) {
        Timestamp readUpTo = jdbc.queryForObject("select min(read_up_to) from partition_read where consumer = ?", Timestamp.class, consumer);
        return Optional.ofNullable(readUpTo).map(Timestamp::toInstant);
    }
}
