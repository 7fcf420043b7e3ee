package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Built units whose preorder was cancelled while no preorder of their variant was queued, waiting for the next one. */
@Repository
public class SpareUnits {

    private final JdbcTemplate jdbc;

    SpareUnits(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void keep(List<ReleasedUnit> units, Instant sparedAt) {
        if (units.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                        insert into spare_unit (vin, variant, plant, built_at, built_on, released_from, spared_at)
                        values (?, ?, ?, ?, ?, ?, ?)""", units, units.size(),
                (statement, unit) -> {
                    statement.setString(1, unit.vin());
                    statement.setString(2, unit.variant().name());
                    statement.setString(3, unit.plant());
                    statement.setTimestamp(4, Timestamp.from(unit.builtAt()));
                    statement.setObject(5, unit.builtOn());
                    statement.setObject(6, unit.releasedFrom().value());
                    statement.setTimestamp(7, Timestamp.from(sparedAt));
                });
    }

    /** The variants of the units kept (usually none: one query per intake batch to find out). */
    Set<Variant> variants() {
        return jdbc.queryForList("select distinct variant from spare_unit", String.class).stream().map(Variant::valueOf)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Up to {@code limit} units of the variant, the earliest built first, no longer kept. */
    List<ReleasedUnit> take(Variant variant, int limit) {
        // An intake batch beside this one may be taking the same units: locked, a unit it took is skipped, not lost.
        return jdbc.query("""
                        delete from spare_unit where vin in (
                            select vin from spare_unit where variant = ? order by built_at, vin limit ? for update)
                        returning vin, variant, plant, built_at, built_on, released_from""",
                (row, index) -> new ReleasedUnit(row.getString(1), Variant.valueOf(row.getString(2)), row.getString(3),
                        row.getTimestamp(4).toInstant(), row.getDate(5).toLocalDate(), new PreorderId(row.getObject(6, UUID.class))),
                variant.name(), limit).stream().sorted(ReleasedUnit.BUILD_ORDER).toList();
    }

    public Map<Variant, Long> countByVariant() {
        Map<Variant, Long> counts = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            counts.put(variant, 0L);
        }
        jdbc.query("select variant, count(*) from spare_unit group by variant", row -> {
            counts.put(Variant.valueOf(row.getString(1)), row.getLong(2));
        });
        return counts;
    }
}
