package com.su7.messaging.deadletter;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The service's own record of its dead letters ({@code dead_letter}): the one place ops list and redrive them from.
 * A {@code <topic>.DLT} copy is for outside eyes; this table is the truth, whatever the broker would take.
 */
public final class DeadLetterStore {

    private static final String COLUMNS = """
            id, consumer, consumer_group, topic, record_partition, record_offset, record_key, record_timestamp,
            traceparent, correlation_id, payload, state, exception_class, reason, attempts, first_failed_at, last_failed_at,
            redrives, published, resolution, resolved_at, created_at""";

    private static final RowMapper<DeadLetter> DEAD_LETTER = (rs, row) -> new DeadLetter(
            rs.getLong("id"), rs.getString("consumer"), rs.getString("consumer_group"), rs.getString("topic"),
            rs.getInt("record_partition"), rs.getLong("record_offset"), rs.getString("record_key"),
            instant(rs.getTimestamp("record_timestamp")), rs.getString("traceparent"), rs.getString("correlation_id"),
            rs.getBytes("payload"),
            DeadLetterState.valueOf(rs.getString("state")), rs.getString("exception_class"), rs.getString("reason"),
            rs.getInt("attempts"), instant(rs.getTimestamp("first_failed_at")), instant(rs.getTimestamp("last_failed_at")),
            rs.getInt("redrives"), rs.getBoolean("published"), rs.getString("resolution"),
            instant(rs.getTimestamp("resolved_at")), instant(rs.getTimestamp("created_at")));

    private final JdbcTemplate jdbc;

    public DeadLetterStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The keys among these that an unresolved dead letter of the consumer holds: their events must wait behind it. */
    public Set<String> heldKeys(String consumer, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("""
                select distinct record_key from dead_letter
                where consumer = ? and state <> 'RESOLVED' and record_key = any(?)""",
                String.class, consumer, keys.toArray(String[]::new)));
    }

    /** Stores a record set aside, once (a redelivered batch sets the same record aside again): empty the second time. */
    public Optional<DeadLetter> store(SetAside aside) {
        var record = aside.record();
        return jdbc.query("""
                insert into dead_letter (consumer, consumer_group, topic, record_partition, record_offset, record_key,
                    record_timestamp, traceparent, correlation_id, payload, state, exception_class, reason, attempts,
                    first_failed_at, last_failed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (consumer, topic, record_partition, record_offset) do nothing
                returning\s""" + COLUMNS, DEAD_LETTER,
                aside.consumer(), aside.consumerGroup(), record.topic(), record.partition(), record.offset(),
                record.key(), record.timestamp() < 0 ? null : new Timestamp(record.timestamp()),
                aside.traceparent(), aside.correlationId(), record.value(), aside.state().name(), aside.exceptionClass(), aside.reason(),
                aside.attempts(), Timestamp.from(aside.firstFailedAt()), Timestamp.from(aside.lastFailedAt()))
                .stream().findFirst();
    }

    public void markPublished(long id) {
        jdbc.update("update dead_letter set published = true where id = ?", id);
    }

    public Optional<DeadLetter> find(long id) {
        return jdbc.query("select " + COLUMNS + " from dead_letter where id = ?", DEAD_LETTER, id).stream().findFirst();
    }

    /** The newest first, at most {@code limit}. */
    public List<DeadLetter> find(DeadLetterFilter filter, int limit) {
        List<Object> args = new ArrayList<>();
        String where = filter.where(args);
        args.add(limit);
        return jdbc.query("select " + COLUMNS + " from dead_letter where " + where + " order by id desc limit ?",
                DEAD_LETTER, args.toArray());
    }

    /**
     * The unresolved chains the filter touches: for every (consumer, key) with a matching unresolved dead letter, all
     * its unresolved dead letters in the order they were consumed. Oldest chains first, at most {@code limit} chains.
     */
    public List<List<DeadLetter>> chains(DeadLetterFilter filter, int limit) {
        List<Object> args = new ArrayList<>();
        String where = filter.where(args);
        args.add(limit);
        List<DeadLetter> rows = jdbc.query("""
                with touched as (
                    select consumer, record_key, min(id) as first_id from dead_letter
                    where state <> 'RESOLVED' and %s
                    group by consumer, record_key, case when record_key is null then id end
                    order by first_id limit ?)
                select %s from dead_letter d
                where d.state <> 'RESOLVED' and exists (select 1 from touched t where t.consumer = d.consumer
                    and (t.record_key = d.record_key or (d.record_key is null and t.first_id = d.id)))
                order by d.consumer, d.record_key, d.id""".formatted(where, COLUMNS.replaceAll("(\\w+)", "d.$1")),
                DEAD_LETTER, args.toArray());
        return chainsOf(rows);
    }

    /** Chains whose head is a held record, not a refused one: the refused head was resolved while they were being held. */
    public List<List<DeadLetter>> releasableChains(int limit) {
        List<DeadLetter> rows = jdbc.query("""
                with heads as (
                    select distinct on (consumer, record_key) consumer, record_key, state from dead_letter
                    where state <> 'RESOLVED' and record_key is not null
                    order by consumer, record_key, id),
                released as (select consumer, record_key from heads where state = 'WAITING' limit ?)
                select %s from dead_letter d join released r on r.consumer = d.consumer and r.record_key = d.record_key
                where d.state <> 'RESOLVED'
                order by d.consumer, d.record_key, d.id""".formatted(COLUMNS.replaceAll("(\\w+)", "d.$1")),
                DEAD_LETTER, limit);
        return chainsOf(rows);
    }

    private static List<List<DeadLetter>> chainsOf(List<DeadLetter> rows) {
        List<List<DeadLetter>> chains = new ArrayList<>();
        List<DeadLetter> chain = null;
        for (DeadLetter row : rows) {
            if (chain == null || row.key() == null || !row.consumer().equals(chain.getFirst().consumer())
                    || !row.key().equals(chain.getFirst().key())) {
                chain = new ArrayList<>();
                chains.add(chain);
            }
            chain.add(row);
        }
        chains.sort((a, b) -> Long.compare(a.getFirst().id(), b.getFirst().id()));
        return chains;
    }

    public void resolve(long id, String resolution) {
        jdbc.update("""
                update dead_letter set state = 'RESOLVED', resolution = ?, resolved_at = now(), redrives = redrives + 1
                where id = ? and state <> 'RESOLVED'""", resolution, id);
    }

    /** A redrive failed: the row is refused now (whatever it was), and parked once it has had its redrives. */
    public DeadLetterState failedAgain(long id, Throwable failure, int maxRedrives) {
        return jdbc.queryForObject("""
                update dead_letter set redrives = redrives + 1, last_failed_at = now(), exception_class = ?, reason = ?,
                    state = case when redrives + 1 >= ? then 'PARKED' else 'OPEN' end
                where id = ? returning state""",
                (rs, row) -> DeadLetterState.valueOf(rs.getString(1)),
                failure.getClass().getName(), String.valueOf(failure.getMessage()), maxRedrives, id);
    }

    /** Unresolved dead letters by consumer, state and exception, with the oldest one's time. */
    public List<Tally> tally() {
        return jdbc.query("""
                select consumer, topic, state, exception_class, count(*) as letters, min(created_at) as oldest
                from dead_letter where state <> 'RESOLVED'
                group by consumer, topic, state, exception_class""",
                (rs, row) -> new Tally(rs.getString("consumer"), rs.getString("topic"),
                        DeadLetterState.valueOf(rs.getString("state")), rs.getString("exception_class"),
                        rs.getLong("letters"), instant(rs.getTimestamp("oldest"))));
    }

    public record Tally(String consumer, String topic, DeadLetterState state, String exceptionClass, long letters,
                        Instant oldest) {
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
