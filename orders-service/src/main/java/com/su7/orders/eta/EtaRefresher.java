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
 * Re-estimates every PLACED preorder of a variant with one set-based read and one set-based write: its place
 * among the unbuilt preorders of the variant and the variant's observed build rate give the same range
 * {@link EtaEstimator} gives, and only the preorders whose range changed are written (with an {@code eta_history}
 * row, cause RATE_CHANGED).
 * Runs every {@code orders.eta.refresh-interval} for the variants whose builds or queue changed, and for all
 * variants at start-up and when the factory day changes.
 */
@Component
public class EtaRefresher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(EtaRefresher.class);

    /** Every PLACED preorder of the variant whose range moves: read only, no row locks. */
    private static final String ESTIMATE = """
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
            )
            select preorder_id, old_earliest, old_latest, new_earliest, new_latest from estimated
            where (old_earliest, old_latest) is distinct from (new_earliest, new_latest)
            """;

    /**
     * Writes the moved ranges of the rows nobody holds and that did not change since they were read, with their
     * history. Skipping the rows a listener holds (it is building or scheduling them, which sets their ETA anyway)
     * means the refresh never waits for a row: taking them in plan order deadlocked with the listeners' batches (a
     * 1 s stall each), and taking them all in id order first made 40 s convoys in a launch burst.
     */
    private static final String WRITE = """
            with moved as (
                select * from unnest(cast(:ids as uuid[]), cast(:oldEarliest as date[]), cast(:oldLatest as date[]),
                                     cast(:newEarliest as date[]), cast(:newLatest as date[]))
                    as m(preorder_id, old_earliest, old_latest, new_earliest, new_latest)
            ), free as (
                select e.preorder_id, m.old_earliest, m.old_latest, m.new_earliest, m.new_latest
                from moved m join preorder_eta e on e.preorder_id = m.preorder_id
                where e.status = 'PLACED' and (e.eta_earliest, e.eta_latest) is not distinct from (m.old_earliest, m.old_latest)
                for update of e skip locked
            ), changed as (
                -- joined to one CTE only: with two, the planner looped over one CTE per row of the other (7 s a write)
                update preorder_eta e
                set eta_earliest = f.new_earliest, eta_latest = f.new_latest, updated_at = :now
                from free f
                where e.preorder_id = f.preorder_id
                returning e.preorder_id, f.old_earliest, f.old_latest, f.new_earliest, f.new_latest
            )
            insert into eta_history (preorder_id, at, cause, old_earliest, old_latest, new_earliest, new_latest)
            select preorder_id, :now, 'RATE_CHANGED', old_earliest, old_latest, new_earliest, new_latest from changed
            """;

    private record Moved(UUID preorderId, String oldEarliest, String oldLatest, String newEarliest, String newLatest) {
    }

    /** Advisory lock ids of the refresh, one per variant. */
    private static final long ADVISORY_LOCK = 0x5_07_0E7AL;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final BuildRates rates;
    private final EtaProperties properties;
    private final EtaEstimator estimator;
    private final UnbuiltQueue queue;
    private final EtaHistory history;
    private final MeterRegistry meters;
    private final Set<Variant> dirty = ConcurrentHashMap.newKeySet();
    private volatile LocalDate refreshedFor;

    EtaRefresher(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, FactoryCalendar calendar,
                 BuildRates rates, EtaProperties properties, UnbuiltQueue queue, EtaHistory history, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.calendar = calendar;
        this.rates = rates;
        this.properties = properties;
        this.estimator = properties.estimator();
        this.queue = queue;
        this.history = history;
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
            queue.fold();
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

    /** Re-estimates every PLACED preorder of the variant; returns how many ETAs changed. */
    public int refresh(Variant variant) {
        return Timer.builder("su7.orders.eta.refresh").tag("variant", variant.name())
                .description("Time to re-estimate every unbuilt preorder of a variant").register(meters)
                .record(() -> transactions.execute(status -> {
                    // One refresh of a variant at a time, across instances too.
                    jdbc.sql("select pg_advisory_xact_lock(?)").param(ADVISORY_LOCK + variant.ordinal()).query().singleRow();
                    double before = rates.unitsPerDay(variant);
                    double rate = rates.recompute(variant);
                    List<Moved> moved = jdbc.sql(ESTIMATE)
                            .param("variant", variant.name())
                            .param("today", calendar.today(clock))
                            .param("horizon", estimator.horizonDays())
                            .param("fastest", estimator.fastest(rate))
                            .param("slowest", estimator.slowest(rate))
                            .query((rs, row) -> new Moved(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                    rs.getString(4), rs.getString(5)))
                            .list();
                    int changed = moved.isEmpty() ? 0 : jdbc.sql(WRITE)
                            .param("ids", moved.stream().map(Moved::preorderId).toArray(UUID[]::new))
                            .param("oldEarliest", moved.stream().map(Moved::oldEarliest).toArray(String[]::new))
                            .param("oldLatest", moved.stream().map(Moved::oldLatest).toArray(String[]::new))
                            .param("newEarliest", moved.stream().map(Moved::newEarliest).toArray(String[]::new))
                            .param("newLatest", moved.stream().map(Moved::newLatest).toArray(String[]::new))
                            .param("now", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS)))
                            .update();
                    if (changed > 0) {
                        history.counted(EtaCause.RATE_CHANGED, changed);
                    }
                    if (changed > 0 || before != rate) {
                        log.info("re-estimated {}: {} units/day (was {}), {} ETAs changed", variant,
                                "%.2f".formatted(rate), "%.2f".formatted(before), changed);
                    }
                    return changed;
                }));
    }
}
