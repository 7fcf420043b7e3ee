package com.su7.delivery.schedule;

import com.su7.messaging.count.KeptCount;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The preorders awaiting their unit per centre, kept as deltas that triggers on {@code delivery_preorder} write with
 * every change ({@code V7__awaiting_counted_from_deltas.sql}) and {@link ScheduleQueries#backlogs} sums: folded every
 * {@link #FOLD_INTERVAL}, so that sum reads a few rows per centre, whatever the backlog or the history behind it.
 */
@Component
public class AwaitingDeltas implements SchedulingConfigurer {

    static final Duration FOLD_INTERVAL = Duration.ofSeconds(5);

    private final KeptCount awaiting;

    AwaitingDeltas(JdbcClient jdbc) {
        this.awaiting = KeptCount.perKey(jdbc, "delivery_awaiting_delta", "center_city");
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::fold, FOLD_INTERVAL);
    }

    /**
     * Folds the deltas of each centre that has several into one row; deltas written meanwhile stay for the next fold.
     * With nothing to fold it writes nothing (no commit to flush while the service is idle).
     */
    public void fold() {
        awaiting.fold();
    }
}
