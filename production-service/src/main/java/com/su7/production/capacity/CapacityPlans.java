package com.su7.production.capacity;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The capacity plan and the record of its changes, in {@code capacity_period} and {@code capacity_plan_change}. */
@Repository
public class CapacityPlans {

    private static final TypeReference<List<CapacityPeriod>> PERIODS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    CapacityPlans(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public CapacityPlan current() {
        return new CapacityPlan(jdbc.query("select valid_from, valid_to, units_per_day from capacity_period order by valid_from",
                (row, index) -> new CapacityPeriod(row.getDate(1).toLocalDate(),
                        row.getDate(2) == null ? null : row.getDate(2).toLocalDate(), row.getInt(3))));
    }

    /** Replaces every period from the date on with the plan's (the caller holds the plan lock). */
    void replaceFrom(LocalDate from, CapacityPlan plan) {
        jdbc.update("delete from capacity_period where valid_from >= ?", Date.valueOf(from));
        jdbc.update("update capacity_period set valid_to = ? where valid_from < ? and (valid_to is null or valid_to > ?)",
                Date.valueOf(from), Date.valueOf(from), Date.valueOf(from));
        List<CapacityPeriod> replacement = plan.from(from);
        jdbc.batchUpdate("insert into capacity_period (valid_from, valid_to, units_per_day) values (?, ?, ?)",
                replacement, replacement.size(), (statement, period) -> {
                    statement.setDate(1, Date.valueOf(period.from()));
                    statement.setDate(2, period.to() == null ? null : Date.valueOf(period.to()));
                    statement.setInt(3, period.unitsPerDay());
                });
    }

    void recordChange(PlanChange change) {
        jdbc.update("""
                        insert into capacity_plan_change (changed_at, changed_by, reason, effective_from, periods, previous)
                        values (?, ?, ?, ?, ?::jsonb, ?::jsonb)""",
                Timestamp.from(change.changedAt()), change.changedBy(), change.reason(), Date.valueOf(change.effectiveFrom()),
                json.writeValueAsString(change.periods()), json.writeValueAsString(change.previous()));
    }

    List<PlanChange> latestChanges(int limit) {
        return jdbc.query("""
                        select changed_at, changed_by, reason, effective_from, periods::text, previous::text
                        from capacity_plan_change order by id desc limit ?""",
                (row, index) -> new PlanChange(row.getTimestamp(1).toInstant(), row.getString(2), row.getString(3),
                        row.getDate(4).toLocalDate(), json.readValue(row.getString(5), PERIODS), json.readValue(row.getString(6), PERIODS)),
                limit);
    }

    /** One change of the plan: who, when, why, and the plan from effectiveFrom on before and after it. */
    record PlanChange(Instant changedAt, String changedBy, String reason, LocalDate effectiveFrom,
                      List<CapacityPeriod> periods, List<CapacityPeriod> previous) {
    }
}
