package com.su7.production.queue;

import com.su7.production.capacity.DateMoves;
import com.su7.production.capacity.DateMoves.DaysMoved;
import com.su7.production.capacity.ProjectedDates;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The queued preorders' projected dates, kept in a temporary table (this session's alone, dropped with the
 * transaction at the latest) and compared with the queue afterwards by one set-based statement. Both read only the
 * queued rows (the partial index {@code production_queue_order}), not the history: ~0.1 s for 50,000 queued beside
 * 1,000,000 built. Under the queue lock, the preorders queued at the snapshot are still queued at the comparison.
 */
@Component
class QueuedDates implements ProjectedDates {

    /** Days moved, per preorder: null where it did not move that way (aggregates skip nulls). */
    private static final String MOVES = """
            with moves as (
                select b.eta as eta_before, q.eta as eta_after,
                       case when q.eta < b.eta then b.eta - q.eta end as days_earlier,
                       case when q.eta > b.eta then q.eta - b.eta end as days_later
                from queued_dates_before b
                join production_queue q on q.preorder_id = b.preorder_id and q.status = 'QUEUED')
            select count(*), count(days_earlier), count(days_later),
                   count(*) filter (where eta_after is not distinct from eta_before),
                   count(*) filter (where eta_before is null and eta_after is not null),
                   count(*) filter (where eta_before is not null and eta_after is null),
                   coalesce(percentile_disc(0.5) within group (order by days_earlier), 0),
                   coalesce(percentile_disc(0.95) within group (order by days_earlier), 0),
                   coalesce(max(days_earlier), 0),
                   coalesce(percentile_disc(0.5) within group (order by days_later), 0),
                   coalesce(percentile_disc(0.95) within group (order by days_later), 0),
                   coalesce(max(days_later), 0)
            from moves""";

    private final JdbcTemplate jdbc;

    QueuedDates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Snapshot snapshot() {
        jdbc.execute("""
                create temporary table queued_dates_before on commit drop as
                select preorder_id, eta from production_queue where status = 'QUEUED'""");
        return this::movesSince;
    }

    private DateMoves movesSince() {
        DateMoves moves = jdbc.queryForObject(MOVES, (row, index) -> new DateMoves(row.getLong(1), row.getLong(2), row.getLong(3),
                row.getLong(4), row.getLong(5), row.getLong(6), new DaysMoved(row.getInt(7), row.getInt(8), row.getInt(9)),
                new DaysMoved(row.getInt(10), row.getInt(11), row.getInt(12))));
        jdbc.execute("drop table queued_dates_before");
        return moves;
    }
}
