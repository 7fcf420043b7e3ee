package com.su7.delivery.schedule;

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
