package com.su7.delivery.schedule;

import com.su7.delivery.center.Center;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code center_day_load} table: hand-overs booked per centre and day. */
@Repository
class DayLoads {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    DayLoads(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /**
     * Books the first day on or after {@code earliest} whose load is below the centre's capacity, in one
     * statement: the candidates are {@code earliest} and each day after a full one; the slot is taken with a
     * conditional upsert that never lets the load pass the capacity.
     */
    LocalDate bookFirstFree(Center center, LocalDate earliest) {
        return jdbc.sql("""
                        with free_day as (
                            select min(candidate.day) as day
                            from (select cast(:earliest as date) as day
                                  union all
                                  select full_day.day + 1 from center_day_load full_day
                                  where full_day.city = :city and full_day.day >= :earliest and full_day.load >= :capacity) candidate
                            where not exists (select 1 from center_day_load taken
                                              where taken.city = :city and taken.day = candidate.day and taken.load >= :capacity))
                        insert into center_day_load (city, day, load)
                        select :city, day, 1 from free_day
                        on conflict (city, day) do update set load = center_day_load.load + 1
                            where center_day_load.load < :capacity
                        returning day""")
                .param("city", center.city())
                .param("earliest", Date.valueOf(earliest))
                .param("capacity", center.dailyCapacity())
                .query(LocalDate.class).optional()
                .orElseThrow(() -> new IllegalStateException("no free hand-over slot found at %s from %s".formatted(center.name(), earliest)));
    }

    /** The centre's bookings from {@code from} on. */
    Map<LocalDate, Integer> from(String city, LocalDate from) {
        Map<LocalDate, Integer> loads = new HashMap<>();
        jdbc.sql("select day, load from center_day_load where city = ? and day >= ?")
                .params(city, Date.valueOf(from))
                .query(rs -> {
                    loads.put(rs.getObject("day", LocalDate.class), rs.getInt("load"));
                });
        return loads;
    }

    void write(String city, Map<LocalDate, Integer> loads) {
        List<Map.Entry<LocalDate, Integer>> rows = new ArrayList<>(loads.entrySet());
        template.batchUpdate("""
                        insert into center_day_load (city, day, load) values (?, ?, ?)
                        on conflict (city, day) do update set load = excluded.load""",
                rows, 500, (statement, row) -> {
                    statement.setString(1, city);
                    statement.setDate(2, Date.valueOf(row.getKey()));
                    statement.setInt(3, row.getValue());
                });
    }
}
