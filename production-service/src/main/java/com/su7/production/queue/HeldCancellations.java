package com.su7.production.queue;

import com.su7.contract.PreorderId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Cancellations that came before their PreorderPlaced (the topics are separate), kept until the preorder is taken in:
 * then it is stored cancelled, never queued.
 */
@Repository
class HeldCancellations {

    private final JdbcTemplate jdbc;

    HeldCancellations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Holds each cancellation (when it was cancelled, by preorder) once. */
    void hold(Map<PreorderId, Instant> cancelledAt, Instant heldAt) {
        if (cancelledAt.isEmpty()) {
            return;
        }
        jdbc.update("""
                        insert into held_cancellation (preorder_id, cancelled_at, held_at)
                        select id, cancelled_at, ?::timestamptz from unnest(?::uuid[], ?::timestamptz[]) as c(id, cancelled_at)
                        on conflict (preorder_id) do nothing""",
                Timestamp.from(heldAt),
                cancelledAt.keySet().stream().map(PreorderId::value).toArray(UUID[]::new),
                cancelledAt.values().stream().map(Instant::toString).toArray(String[]::new));
    }

    /** The cancellations held for these preorders (when each was cancelled), no longer held. */
    Map<PreorderId, Instant> take(List<PreorderId> ids) {
        Map<PreorderId, Instant> taken = new HashMap<>();
        jdbc.query("delete from held_cancellation where preorder_id = any(?) returning preorder_id, cancelled_at",
                row -> {
                    taken.put(new PreorderId(row.getObject(1, UUID.class)), row.getTimestamp(2).toInstant());
                },
                (Object) ids.stream().map(PreorderId::value).toArray(UUID[]::new));
        return taken;
    }
}
