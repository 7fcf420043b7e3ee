package com.su7.orders.eta;

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

    private final JdbcClient jdbc;

    PreorderStatusCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
        jdbc.sql("select status, sum(delta) from preorder_status_delta group by status")
                .query((rs, row) -> counts.put(ProjectionStatus.valueOf(rs.getString(1)), rs.getLong(2))).list();
        return counts;
    }

    /**
     * Folds the deltas of each status that has several into one row; deltas written meanwhile stay for the next fold.
     * With nothing to fold it writes nothing (no commit to flush while the service is idle).
     */
    void fold() {
        jdbc.sql("""
                with folded as (
                    delete from preorder_status_delta
                    where status in (select status from preorder_status_delta group by status having count(*) > 1)
                    returning status, delta
                )
                insert into preorder_status_delta (status, delta) select status, sum(delta) from folded group by status""").update();
    }
}
