package com.su7.messaging.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;

/**
 * Outbox rows the relay could not send (a record larger than Kafka takes, a writer schema the registry does not
 * hold): kept with their reason, holding back the later rows of their key, until ops retry or discard them.
 */
public final class SetAsideRows {

    private static final Logger log = LoggerFactory.getLogger(SetAsideRows.class);

    private final JdbcTemplate jdbc;
    private final OutboxRelay relay;

    public SetAsideRows(JdbcTemplate jdbc, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.relay = relay;
    }

    /** A row set aside; its payload is described by its size only (it is the bytes as written, not text). */
    public record SetAsideRow(long id, String topic, String key, Integer schemaId, String legacyType, int payloadBytes,
                              String correlationId, Instant createdAt, Instant setAsideAt, String reason) {
    }

    /** The oldest first. */
    public List<SetAsideRow> list(int limit) {
        return jdbc.query("""
                        select id, topic, message_key, schema_id, legacy_type, octet_length(payload), correlation_id, created_at,
                               set_aside_at, set_aside_reason
                        from outbox_message where set_aside_at is not null order by id limit ?""",
                (row, index) -> new SetAsideRow(row.getLong(1), row.getString(2), row.getString(3),
                        (Integer) row.getObject(4), row.getString(5), row.getInt(6), row.getString(7),
                        row.getTimestamp(8).toInstant(), row.getTimestamp(9).toInstant(), row.getString(10)),
                limit);
    }

    /** Puts the row back in line (with the rows its key held); false if no such row is set aside. */
    public boolean retry(long id) {
        boolean found = jdbc.update("update outbox_message set set_aside_at = null, set_aside_reason = null "
                + "where id = ? and set_aside_at is not null", id) == 1;
        if (found) {
            log.info("outbox row {} put back in line", id);
            relay.wakeUp();
        }
        return found;
    }

    /** Deletes the row for good, releasing its key's later rows; false if no such row is set aside. */
    public boolean discard(long id, String by) {
        List<String> discarded = jdbc.queryForList("delete from outbox_message where id = ? and set_aside_at is not null "
                + "returning topic || ' key ' || message_key || ' (' || set_aside_reason || ')'", String.class, id);
        if (discarded.isEmpty()) {
            return false;
        }
        log.warn("outbox row {} discarded by {}: {}", id, by, discarded.getFirst());
        relay.wakeUp();
        return true;
    }
}
