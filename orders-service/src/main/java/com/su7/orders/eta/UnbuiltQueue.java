package com.su7.orders.eta;

import com.su7.events.Variant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The unbuilt (PLACED) preorders of each variant as a queue, first come first served by {@code (placed_at,
 * preorder_id)}: where a new preorder stands in it, and how long it is. Its length is kept as deltas in
 * {@code eta_queue_delta}, written in the transactions that change a status, so a placement never counts the queue.
 */
@Component
class UnbuiltQueue {

    /** Queue order as PostgreSQL sorts {@code (placed_at, preorder_id)}: uuids compare as unsigned bytes. */
    private static final Comparator<EtaProjection.NewPreorder> QUEUE_ORDER = Comparator.comparing(EtaProjection.NewPreorder::placedAt)
            .thenComparing(preorder -> preorder.preorderId().getMostSignificantBits(), Long::compareUnsigned)
            .thenComparing(preorder -> preorder.preorderId().getLeastSignificantBits(), Long::compareUnsigned);

    private final JdbcClient jdbc;

    UnbuiltQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * New preorders joined the queue: each one's place in it (1 = next), and the variants in whose queue a new
     * preorder stands ahead of stored ones (their places moved back).
     */
    record Joined(Map<UUID, Long> places, Set<Variant> movedBack) {
    }

    /**
     * Adds new preorders to the queue and tells their places, with three statements: each one's place is the queue's
     * length with the batch, less the preorders (stored or in the batch) placed after it.
     */
    Joined join(List<EtaProjection.NewPreorder> batch) {
        Map<Variant, List<EtaProjection.NewPreorder>> byVariant = byVariant(batch);
        // Stored PLACED preorders queued behind a new one: those placed by a concurrent batch, or every one since an
        // app request's earlier requestedAt. One range read of preorder_eta_unbuilt from the batch's earliest
        // placement; counted here (a count per new preorder in SQL scanned every PLACED row: 1-3 s a batch).
        Map<Variant, List<EtaProjection.NewPreorder>> storedSince = byVariant(jdbc.sql("""
                        select preorder_id, variant, placed_at from preorder_eta
                        where status = 'PLACED' and variant = any(?) and placed_at >= ?::timestamptz""")
                .params(byVariant.keySet().stream().map(Variant::name).toArray(String[]::new),
                        batch.stream().map(EtaProjection.NewPreorder::placedAt).min(Comparator.naturalOrder()).orElseThrow().toString())
                .query((rs, row) -> new EtaProjection.NewPreorder(rs.getObject(1, UUID.class), Variant.valueOf(rs.getString(2)), null,
                        rs.getTimestamp(3).toInstant()))
                .list());
        Map<Variant, Long> lengths = new EnumMap<>(Variant.class);
        jdbc.sql("select variant, coalesce(sum(delta), 0) from eta_queue_delta group by variant")
                .query((rs, row) -> lengths.put(Variant.valueOf(rs.getString(1)), rs.getLong(2))).list();
        Map<UUID, Long> places = new HashMap<>();
        Set<Variant> movedBack = EnumSet.noneOf(Variant.class);
        for (Map.Entry<Variant, List<EtaProjection.NewPreorder>> variant : byVariant.entrySet()) {
            List<EtaProjection.NewPreorder> stored = storedSince.getOrDefault(variant.getKey(), List.of());
            List<EtaProjection.NewPreorder> inOrder = new ArrayList<>(variant.getValue());
            inOrder.addAll(stored);
            inOrder.sort(QUEUE_ORDER);
            long length = lengths.getOrDefault(variant.getKey(), 0L) + variant.getValue().size();
            for (int i = 0; i < inOrder.size(); i++) {
                long behind = inOrder.size() - 1 - i;
                places.put(inOrder.get(i).preorderId(), Math.max(1, length - behind));
            }
            EtaProjection.NewPreorder firstNew = variant.getValue().stream().min(QUEUE_ORDER).orElseThrow();
            if (stored.stream().anyMatch(preorder -> QUEUE_ORDER.compare(preorder, firstNew) > 0)) {
                movedBack.add(variant.getKey());
            }
        }
        add(byVariant.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, variant -> (long) variant.getValue().size())));
        return new Joined(places, movedBack);
    }

    /** Preorders of these variants left the queue (built or scheduled), one element each. */
    void left(Collection<Variant> variants) {
        add(variants.stream().collect(Collectors.groupingBy(variant -> variant, Collectors.counting())).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, variant -> -variant.getValue())));
    }

    /** How many preorders of the variant are unbuilt, as this transaction sees it. */
    long length(Variant variant) {
        return jdbc.sql("select coalesce(sum(delta), 0) from eta_queue_delta where variant = ?").param(variant.name())
                .query(Long.class).single();
    }

    /** Folds each variant's deltas into one row, so a placement sums a few rows only. */
    void fold() {
        jdbc.sql("""
                with folded as (delete from eta_queue_delta returning variant, delta)
                insert into eta_queue_delta (variant, delta)
                select variant, sum(delta) from folded group by variant""").update();
    }

    private void add(Map<Variant, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        jdbc.sql("insert into eta_queue_delta (variant, delta) select * from unnest(?::text[], ?::bigint[])")
                .params(deltas.keySet().stream().map(Variant::name).toArray(String[]::new), deltas.values().toArray(Long[]::new))
                .update();
    }

    private static Map<Variant, List<EtaProjection.NewPreorder>> byVariant(List<EtaProjection.NewPreorder> preorders) {
        return preorders.stream().collect(Collectors.groupingBy(EtaProjection.NewPreorder::variant,
                () -> new EnumMap<>(Variant.class), Collectors.toList()));
    }
}
