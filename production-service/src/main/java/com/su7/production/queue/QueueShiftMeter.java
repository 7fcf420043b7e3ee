package com.su7.production.queue;

import com.su7.production.capacity.QueueShift;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The queue's projected build dates before and after a change in the same transaction (a capacity plan previewed):
 * the dates before go to a temporary table that lives as long as the transaction; one set-based comparison after.
 */
@Component
class QueueShiftMeter implements QueueShift.Meter {

    private static final String SHIFT = """
            with shift as (
                select b.estimated_build_date as before, q.estimated_build_date as after,
                       b.estimated_build_date - q.estimated_build_date as earlier_by
                from production_queue q join queue_dates_before b using (preorder_id)
                where q.status = 'QUEUED')
            select count(*),
                   count(*) filter (where earlier_by > 0),
                   coalesce(percentile_disc(0.5) within group (order by earlier_by) filter (where earlier_by > 0), 0),
                   coalesce(percentile_disc(0.95) within group (order by earlier_by) filter (where earlier_by > 0), 0),
                   coalesce(max(earlier_by) filter (where earlier_by > 0), 0),
                   count(*) filter (where earlier_by < 0),
                   coalesce(percentile_disc(0.5) within group (order by -earlier_by) filter (where earlier_by < 0), 0),
                   coalesce(percentile_disc(0.95) within group (order by -earlier_by) filter (where earlier_by < 0), 0),
                   coalesce(max(-earlier_by) filter (where earlier_by < 0), 0),
                   count(*) filter (where before is not distinct from after),
                   count(*) filter (where before is null and after is not null),
                   count(*) filter (where before is not null and after is null)
            from shift""";

    private final JdbcTemplate jdbc;

    QueueShiftMeter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void beforeChange() {
        jdbc.execute("""
                create temporary table queue_dates_before on commit drop as
                select preorder_id, estimated_build_date from production_queue where status = 'QUEUED'""");
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public QueueShift afterChange() {
        return jdbc.queryForObject(SHIFT, (row, index) -> new QueueShift(row.getLong(1),
                row.getLong(2), new QueueShift.Days(row.getInt(3), row.getInt(4), row.getInt(5)),
                row.getLong(6), new QueueShift.Days(row.getInt(7), row.getInt(8), row.getInt(9)),
                row.getLong(10), row.getLong(11), row.getLong(12)));
    }
}
