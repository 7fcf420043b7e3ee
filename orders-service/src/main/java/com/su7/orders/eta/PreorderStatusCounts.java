package com.su7.orders.eta;

import com.su7.messaging.count.KeptCount;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many preorders are in each status, without counting them: the sum of the deltas triggers on
 * {@code preorder_eta} write with every status change ({@code V8__preorder_counts_by_status.sql}). A sum of a few
 * rows per status, whether a launch or a year of preorders is behind it, as the deltas are folded every
 * {@link #FOLD_INTERVAL}.
 */
@Component
public class PreorderStatusCounts implements SchedulingConfigurer {

    static final Duration FOLD_INTERVAL = Duration.ofSeconds(5);

    private final KeptCount deltas;

    PreorderStatusCounts(JdbcClient jdbc) {
        this.deltas = KeptCount.perKey(jdbc, "preorder_status_delta", "status");
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::fold, FOLD_INTERVAL);
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

    /**
     * Folds the deltas of each status that has several into one row; deltas written meanwhile stay for the next fold.
     * With nothing to fold it writes nothing (no commit to flush while the service is idle).
     */
    void fold() {
        deltas.fold();
    }
}
