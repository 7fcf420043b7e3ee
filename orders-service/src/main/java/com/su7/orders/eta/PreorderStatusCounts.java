package com.su7.orders.eta;

import com.su7.messaging.count.KeptCount;
import com.su7.messaging.count.KeptCounts;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.Map;

/**
 * How many preorders are in each status, without counting them: the sum of the deltas triggers on
 * {@code preorder_eta} write with every status change ({@code V8__preorder_counts_by_status.sql}). A sum of a few
 * rows per status, whether a launch or a year of preorders is behind it, as messaging folds the deltas every few
 * seconds ({@link KeptCounts}).
 */
@Component
public class PreorderStatusCounts {

    private final KeptCount deltas;

    PreorderStatusCounts(KeptCounts counts) {
        this.deltas = counts.perKey("preorder_status_delta", "status");
    }

    /** The preorders of each status, every status present (0 for none). */
    public Map<ProjectionStatus, Long> byStatus() {
        Map<ProjectionStatus, Long> counts = new EnumMap<>(ProjectionStatus.class);
        for (ProjectionStatus status : ProjectionStatus.values()) {
            counts.put(status, 0L);
        }
        deltas.byKey().forEach((status, count) -> counts.put(ProjectionStatus.valueOf(status), count));
        return counts;
    }
}
