package com.su7.production.shared;

import com.su7.contract.FactoryCalendar;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The factory days as the plant sees them: today on the injected clock, the last day the lines have built,
 * and the first day whose capacity is still to be used. Also the one lock that every writer of queue order,
 * capacity or build state takes, so the lines, the consumers, ops' plan changes and the ETA recomputation see
 * one consistent queue.
 */
@Component
public class ProductionDays {

    /** Arbitrary but fixed: the transaction-scoped advisory lock over the queue and the plan. */
    private static final long QUEUE_LOCK = 7_420_105L;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final boolean linesEnabled;

    ProductionDays(JdbcTemplate jdbc, Clock clock, FactoryCalendar calendar, ProductionProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.linesEnabled = properties.lines().enabled();
    }

    public LocalDate today() {
        return calendar.today(clock);
    }

    public Instant now() {
        return clock.instant();
    }

    public FactoryCalendar calendar() {
        return calendar;
    }

    public boolean linesEnabled() {
        return linesEnabled;
    }

    /** Waits for, then holds until the end of the current transaction, the lock over queue, plan and lines. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock() {
        jdbc.queryForObject("select pg_advisory_xact_lock(?)::text", String.class, QUEUE_LOCK);
    }

    public Optional<LocalDate> lastBuiltDate() {
        Date date = jdbc.queryForObject("select last_built_date from production_line where id = 1", Date.class);
        return Optional.ofNullable(date).map(Date::toLocalDate);
    }

    /**
     * The first factory day whose capacity the queue may still use: the day after the last one the lines
     * built (it may lie in the past while the lines catch up); today when the lines are off.
     */
    public LocalDate firstOpenDay() {
        if (!linesEnabled) {
            return today();
        }
        return lastBuiltDate().map(date -> date.plusDays(1)).orElseGet(this::today);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void markBuilt(LocalDate date) {
        jdbc.update("update production_line set last_built_date = ?, updated_at = ? where id = 1",
                Date.valueOf(date), java.sql.Timestamp.from(now()));
    }
}
