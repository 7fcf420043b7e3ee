package com.su7.orders.eta;

import com.su7.contract.PreorderId;
import com.su7.messaging.count.KeptCount;
import com.su7.messaging.count.KeptCounts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The unbuilt (PLACED) preorders as one queue for all variants, first come first served by {@code (placed_at,
 * preorder_id)}: the queue production-service builds from. It tells where a new preorder stands in it and how long
 * it is. Its length is kept as deltas in {@code eta_queue_delta}, written in the transactions that change a status,
 * so a placement never counts the queue.
 */
@Component
class UnbuiltQueue {

    /** Queue order as PostgreSQL sorts {@code (placed_at, preorder_id)}: uuids compare as unsigned bytes. */
    private static final Comparator<EtaProjection.NewPreorder> QUEUE_ORDER = Comparator.comparing(EtaProjection.NewPreorder::placedAt)
            .thenComparing(preorder -> preorder.preorderId().value().getMostSignificantBits(), Long::compareUnsigned)
            .thenComparing(preorder -> preorder.preorderId().value().getLeastSignificantBits(), Long::compareUnsigned);

    private final JdbcClient jdbc;
    private final KeptCount length;

    UnbuiltQueue(JdbcClient jdbc, KeptCounts counts) {
        this.jdbc = jdbc;
        this.length = counts.in("eta_queue_delta");
    }

    /**
     * New preorders joined the queue: each one's place in it (1 = next), and whether one of them stands ahead of
     * stored preorders (whose places moved back).
     */
    record Joined(Map<PreorderId, Long> places, boolean movedBack) {
    }

    /**
     * Adds new preorders to the queue and tells their places, with three statements: each one's place is the queue's
     * length with the batch, less the preorders (stored or in the batch) placed after it.
     */
    Joined join(List<EtaProjection.NewPreorder> batch) {
        // Stored PLACED preorders queued behind a new one: those placed by a concurrent batch, or every one since an
        // app request's earlier requestedAt. One range read of preorder_eta_unbuilt_estimates from the batch's earliest
        // placement; counted here (a count per new preorder in SQL scanned every PLACED row: 1-3 s a batch).
        List<EtaProjection.NewPreorder> stored = jdbc.sql("""
                        select preorder_id, placed_at from preorder_eta
                        where status = 'PLACED' and placed_at >= ?::timestamptz""")
                .param(batch.stream().map(EtaProjection.NewPreorder::placedAt).min(Comparator.naturalOrder()).orElseThrow().toString())
                .query((rs, row) -> new EtaProjection.NewPreorder(new PreorderId(rs.getObject(1, UUID.class)), null, null, rs.getTimestamp(2).toInstant()))
                .list();
        List<EtaProjection.NewPreorder> inOrder = new ArrayList<>(batch);
        inOrder.addAll(stored);
        inOrder.sort(QUEUE_ORDER);
        long length = length() + batch.size();
        Map<PreorderId, Long> places = new HashMap<>();
        for (int i = 0; i < inOrder.size(); i++) {
            long behind = inOrder.size() - 1 - i;
            places.put(inOrder.get(i).preorderId(), Math.max(1, length - behind));
        }
        EtaProjection.NewPreorder firstNew = batch.stream().min(QUEUE_ORDER).orElseThrow();
        boolean movedBack = stored.stream().anyMatch(preorder -> QUEUE_ORDER.compare(preorder, firstNew) > 0);
        add(batch.size());
        return new Joined(places, movedBack);
    }

    /** This many preorders left the queue (built or scheduled). */
    void left(int preorders) {
        add(-preorders);
    }

    /** How many preorders are unbuilt, as this transaction sees it. */
    long length() {
        return length.total();
    }

    private void add(long delta) {
        if (delta != 0) {
            jdbc.sql("insert into eta_queue_delta (delta) values (?)").param(delta).update();
        }
    }
}
