package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.events.Variant;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Re-estimates every PLACED preorder of a variant in one set-based statement: its place among the unbuilt
 * preorders of the variant and the variant's observed build rate give the same range {@link EtaEstimator} gives,
 * and only the preorders whose range changed are written (with an {@code eta_history} row, cause RATE_CHANGED).
 * Runs every {@code orders.eta.refresh-interval} for the variants whose builds or queue changed, and for all
 * variants at start-up and when the factory day changes.
 */
@Component
public class EtaRefresher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(EtaRefresher.class);

    private static final String REFRESH = """
            with ranked as (
                select preorder_id, transit_days, eta_earliest, eta_latest,
                       row_number() over (order by placed_at, preorder_id) as position
                from preorder_eta
                where variant = :variant and status = 'PLACED'
            ), estimated as (
                select preorder_id, eta_earliest as old_earliest, eta_latest as old_latest,
                       :today + least(:horizon, floor(position / :fastest))::int + transit_days as new_earliest,
                       :today + least(:horizon, ceil(position / :slowest))::int + transit_days as new_latest
                from ranked
            ), changed as (
                update preorder_eta e
                set eta_earliest = s.new_earliest, eta_latest = s.new_latest, updated_at = :now
                from estimated s
                where e.preorder_id = s.preorder_id and e.status = 'PLACED' and e.preorder_id = any(:locked)
                  and (e.eta_earliest, e.eta_latest) is distinct from (s.new_earliest, s.new_latest)
                returning e.preorder_id, s.old_earliest, s.old_latest, s.new_earliest, s.new_latest
            )
            insert into eta_history (preorder_id, at, cause, old_earliest, old_latest, new_earliest, new_latest)
            select preorder_id, :now, 'RATE_CHANGED', old_earliest, old_latest, new_earliest, new_latest from changed
            """;

    /** Advisory lock ids of the refresh, one per variant. */
    private static final long ADVISORY_LOCK = 0x5_07_0E7AL;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final BuildRates rates;
    private final EtaProperties properties;
    private final EtaEstimator estimator;
    private final MeterRegistry meters;
    private final Set<Variant> dirty = ConcurrentHashMap.newKeySet();
    private volatile LocalDate refreshedFor;

    EtaRefresher(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, FactoryCalendar calendar,
                 BuildRates rates, EtaProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.calendar = calendar;
        this.rates = rates;
        this.properties = properties;
        this.estimator = properties.estimator();
        this.meters = meters;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::refreshWhereNeeded, properties.refreshInterval());
    }

    /** The variant's builds or queue changed: re-estimate it at the next refresh. */
    void markDirty(Variant variant) {
        dirty.add(variant);
    }

    /** Refreshes the variants marked dirty, or all of them on a new factory day. */
    public void refreshWhereNeeded() {
        try {
            foldQueueDeltas();
        } catch (RuntimeException e) {
            log.warn("could not fold the unbuilt counts (retried at the next refresh): {}", e.getMessage());
        }
        LocalDate today = calendar.today(clock);
        boolean newDay = !today.equals(refreshedFor);
        Set<Variant> due = newDay ? EnumSet.allOf(Variant.class) : EnumSet.noneOf(Variant.class);
        for (Variant variant : List.copyOf(dirty)) {
            dirty.remove(variant);
            due.add(variant);
        }
        boolean allDone = true;
        for (Variant variant : due) {
            try {
                refresh(variant);
            } catch (RuntimeException e) {
                allDone = false;
                dirty.add(variant);
                log.warn("could not re-estimate the ETAs of {} (retried at the next refresh): {}", variant, e.getMessage());
            }
        }
        if (newDay && allDone) {
            refreshedFor = today;
        }
    }

    /**
     * Makes every refresh wait until the caller's transaction ends. A rebuild of the projection calls it before it
     * locks the tables: a refresh that had read one of them and then waited to write another would deadlock with it.
     */
    public void holdRefreshesUntilCommit() {
        for (Variant variant : Variant.values()) {
            jdbc.sql("select pg_advisory_xact_lock(?)").param(ADVISORY_LOCK + variant.ordinal()).query().singleRow();
        }
    }

    /** Folds each variant's unbuilt-count deltas into one row, so a placement sums a few rows only. */
    void foldQueueDeltas() {
        jdbc.sql("""
                with folded as (delete from eta_queue_delta returning variant, delta)
                insert into eta_queue_delta (variant, delta)
                select variant, sum(delta) from folded group by variant""").update();
    }

    /** Re-estimates every PLACED preorder of the variant; returns how many ETAs changed. */
    public int refresh(Variant variant) {
        return Timer.builder("su7.orders.eta.refresh").tag("variant", variant.name())
                .description("Time to re-estimate every unbuilt preorder of a variant").register(meters)
                .record(() -> transactions.execute(status -> {
                    // One refresh of a variant at a time, across instances too.
                    jdbc.sql("select pg_advisory_xact_lock(?)").param(ADVISORY_LOCK + variant.ordinal()).query().singleRow();
                    // The rows first, in id order like the listeners lock theirs: the update alone locked them in
                    // whatever order its plan met them and deadlocked with a listener's batch (each deadlock a 1 s stall).
                    UUID[] locked = jdbc.sql("""
                                    select preorder_id from preorder_eta where variant = ? and status = 'PLACED'
                                    order by preorder_id for update""")
                            .param(variant.name()).query(UUID.class).list().toArray(UUID[]::new);
                    double before = rates.unitsPerDay(variant);
                    double rate = rates.recompute(variant);
                    int changed = jdbc.sql(REFRESH)
                            .param("variant", variant.name())
                            .param("today", calendar.today(clock))
                            .param("horizon", estimator.horizonDays())
                            .param("fastest", estimator.fastest(rate))
                            .param("slowest", estimator.slowest(rate))
                            .param("now", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS)))
                            .param("locked", locked)
                            .update();
                    if (changed > 0) {
                        meters.counter("su7.orders.eta.changes", "cause", EtaCause.RATE_CHANGED.name()).increment(changed);
                    }
                    if (changed > 0 || before != rate) {
                        log.info("re-estimated {}: {} units/day (was {}), {} ETAs changed", variant,
                                "%.2f".formatted(rate), "%.2f".formatted(before), changed);
                    }
                    return changed;
                }));
    }
}
