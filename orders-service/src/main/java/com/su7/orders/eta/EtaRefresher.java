package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Re-estimates every PLACED preorder with one set-based read, then writes the moved ranges set-based (with their
 * history, through {@link EtaHistory#record}) in transactions of at most {@value #ROWS_PER_TRANSACTION} rows: its
 * place in the one queue of unbuilt preorders and the plant's observed build rate go through the formula a placement
 * uses ({@code R__eta_estimate.sql}), and only the preorders whose latest date moved by
 * at least {@code orders.eta.change-threshold-days} and by at least {@code change-threshold-share} of the wait shown
 * are written (with an {@code eta_history} row and its EtaChanged). The cause is CANCELLATION_AHEAD for a range that
 * moved earlier when cancellations took preorders out of the queue since the last refresh (the rate may have moved
 * too: the customer is told what they understand, someone ahead cancelled), RATE_CHANGED otherwise. A smaller move is
 * wobble: the customer keeps the range shown, and the moves add up until one counts.
 * Runs every {@code orders.eta.refresh-interval} when builds or the queue changed, and at start-up and whenever the
 * factory day changes.
 */
@Component
public class EtaRefresher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(EtaRefresher.class);

    /** Every PLACED preorder whose range moves: read only, no row locks. */
    private static final String ESTIMATE = """
            with ranked as (
                select preorder_id, transit_days, eta_earliest, eta_latest,
                       row_number() over (order by placed_at, preorder_id) as place
                from preorder_eta
                where status = 'PLACED'
            ), estimated as (
                select preorder_id, eta_earliest as old_earliest, eta_latest as old_latest,
                       estimate_earliest(place, :rate, :band, :horizon, :countedFrom, :today, transit_days) as new_earliest,
                       estimate_latest(place, :rate, :band, :horizon, :countedFrom, :today, transit_days) as new_latest
                from ranked
            )
            select preorder_id, old_earliest, old_latest, new_earliest, new_latest from estimated
            where (old_earliest, old_latest) is distinct from (new_earliest, new_latest)
              and abs(new_latest - old_latest) >= :threshold
              and abs(new_latest - old_latest) >= :share * (old_latest - :today)
            """;

    /**
     * Writes the moved ranges of the rows nobody holds and that did not change since they were read; returns them, for
     * their history. Skipping the rows a listener holds (it is building or scheduling them, which sets their ETA anyway)
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
            )
            -- joined to one CTE only: with two, the planner looped over one CTE per row of the other (7 s a write)
            update preorder_eta e
            set eta_earliest = f.new_earliest, eta_latest = f.new_latest, updated_at = :now
            from free f
            where e.preorder_id = f.preorder_id
            returning e.preorder_id, f.old_earliest, f.old_latest, f.new_earliest, f.new_latest""";

    private record Moved(UUID preorderId, String oldEarliest, String oldLatest, String newEarliest, String newLatest) {
    }

    /** CANCELLATION_AHEAD for a range that moved earlier while cancellations left the queue, RATE_CHANGED otherwise. */
    private static EtaHistory.Change changeOf(ResultSet rs, boolean cancellationsAhead) throws SQLException {
        LocalDate oldEarliest = rs.getObject("old_earliest", LocalDate.class);
        Eta old = oldEarliest == null ? null : new Eta(oldEarliest, rs.getObject("old_latest", LocalDate.class));
        Eta now = new Eta(rs.getObject("new_earliest", LocalDate.class), rs.getObject("new_latest", LocalDate.class));
        boolean earlier = old != null && Comparator.comparing(Eta::latest).thenComparing(Eta::earliest).compare(now, old) < 0;
        EtaCause cause = cancellationsAhead && earlier ? EtaCause.CANCELLATION_AHEAD : EtaCause.RATE_CHANGED;
        return new EtaHistory.Change(rs.getObject("preorder_id", UUID.class), cause, ProjectionStatus.PLACED, old, ProjectionStatus.PLACED, now);
    }

    /** Advisory lock id of the refresh. */
    private static final long ADVISORY_LOCK = 0x5_07_0E7AL;

    /**
     * The moved ranges one transaction writes. A listener that builds or schedules a preorder waits for its row while a
     * refresh holds it, and the refresh holds it until its history rows and events are written too: in one transaction,
     * a launch's refresh of ~4,000 moved rows held them ~0.3-0.5 s, and the listeners' row locks waited 140-164 s in all
     * over a default ./run.sh.
     */
    static final int ROWS_PER_TRANSACTION = 1_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final BuildRates rates;
    private final EtaProperties properties;
    private final EtaHistory history;
    private final Timer refreshTimer;
    private final int rowsPerTransaction;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean cancellationsAhead = new AtomicBoolean();
    private volatile LocalDate refreshedFor;

    @Autowired
    EtaRefresher(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, FactoryCalendar calendar,
                 BuildRates rates, EtaProperties properties, EtaHistory history, MeterRegistry meters) {
        this(jdbc, transactions, clock, calendar, rates, properties, history, meters, ROWS_PER_TRANSACTION);
    }

    EtaRefresher(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, FactoryCalendar calendar,
                 BuildRates rates, EtaProperties properties, EtaHistory history, MeterRegistry meters, int rowsPerTransaction) {
        this.rowsPerTransaction = rowsPerTransaction;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.calendar = calendar;
        this.rates = rates;
        this.properties = properties;
        this.history = history;
        this.refreshTimer = Timer.builder("su7.orders.eta.refresh")
                .description("Time to re-estimate every unbuilt preorder").register(meters);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::refreshWhereNeeded, properties.refreshInterval());
    }

    /** Builds or the queue changed: re-estimate at the next refresh. */
    void markDirty() {
        dirty.set(true);
    }

    /** Cancelled preorders left the queue: re-estimate those behind at the next refresh. */
    public void markCancellationsAhead() {
        cancellationsAhead.set(true);
        dirty.set(true);
    }

    /** Refreshes if builds or the queue changed, or on a new factory day. */
    public void refreshWhereNeeded() {
        LocalDate today = calendar.today(clock);
        boolean newDay = !today.equals(refreshedFor);
        if (!dirty.getAndSet(false) && !newDay) {
            return;
        }
        try {
            refresh();
            refreshedFor = today;
        } catch (RuntimeException | Error e) {
            // An Error too (the scheduler logs it): the ETAs are estimated again at the next refresh, not the next change.
            dirty.set(true);
            if (e instanceof Error error) {
                throw error;
            }
            log.warn("could not re-estimate the ETAs (retried at the next refresh): {}", e.getMessage());
        }
    }

    /**
     * Makes every refresh wait until the caller's transaction ends. A rebuild of the projection calls it before it
     * locks the tables: a refresh that had read one of them and then waited to write another would deadlock with it.
     */
    public void holdRefreshesUntilCommit() {
        jdbc.sql("select pg_advisory_xact_lock(?)").param(ADVISORY_LOCK).query().singleRow();
    }

    /**
     * Re-estimates every PLACED preorder; returns how many ETAs changed. One refresh at a time in this instance (the
     * schedule's and a rebuild's): a refresh that read before another wrote would find the rows it moved changed.
     */
    public synchronized int refresh() {
        boolean cancellations = cancellationsAhead.getAndSet(false);
        try {
            return refreshTimer.record(() -> refresh(cancellations));
        } catch (RuntimeException | Error e) {
            if (cancellations) {
                cancellationsAhead.set(true);
            }
            throw e;
        }
    }

    private int refresh(boolean cancellations) {
        record Estimated(double before, double rate, List<Moved> moved) {
        }
        Estimated estimated = transactions.execute(status -> {
            // Never beside another instance's write, nor a rebuild's switch.
            holdRefreshesUntilCommit();
            double before = rates.unitsPerDay();
            double rate = rates.recompute();
            return new Estimated(before, rate, jdbc.sql(ESTIMATE)
                    .param("rate", rate)
                    .param("band", properties.rateBand())
                    .param("horizon", properties.horizonDays())
                    .param("countedFrom", rates.placesCountFrom())
                    .param("today", calendar.today(clock))
                    .param("threshold", properties.changeThresholdDays())
                    .param("share", properties.changeThresholdShare())
                    .query((rs, row) -> new Moved(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)))
                    .list());
        });
        int changed = 0;
        int left = 0;
        List<Moved> moved = estimated.moved();
        try {
            for (int from = 0; from < moved.size(); from += rowsPerTransaction) {
                List<Moved> chunk = moved.subList(from, Math.min(moved.size(), from + rowsPerTransaction));
                int written = transactions.execute(status -> write(chunk, cancellations));
                changed += written;
                left += chunk.size() - written;
            }
        } finally {
            if (changed > 0 || estimated.before() != estimated.rate()) {
                log.info("re-estimated the queue: {} units/day (was {}), {} ETAs changed",
                        "%.2f".formatted(estimated.rate()), "%.2f".formatted(estimated.before()), changed);
            }
        }
        if (left > 0) {
            // Changed since the read (another instance's refresh, a listener, a rebuild's switch): estimated again at
            // the next refresh, with the cause this one had.
            if (cancellations) {
                cancellationsAhead.set(true);
            }
            markDirty();
        }
        return changed;
    }

    /**
     * Writes moved ranges that nobody changed since they were read, with their history; returns how many. A write that
     * meets a range changed meanwhile (a listener's, a rebuild's, another instance's) leaves it to the next refresh.
     */
    private int write(List<Moved> moved, boolean cancellations) {
        // Behind a rebuild that holds the lock, and never beside another instance's write.
        holdRefreshesUntilCommit();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<EtaHistory.Change> changes = jdbc.sql(WRITE)
                .param("ids", moved.stream().map(Moved::preorderId).toArray(UUID[]::new))
                .param("oldEarliest", moved.stream().map(Moved::oldEarliest).toArray(String[]::new))
                .param("oldLatest", moved.stream().map(Moved::oldLatest).toArray(String[]::new))
                .param("newEarliest", moved.stream().map(Moved::newEarliest).toArray(String[]::new))
                .param("newLatest", moved.stream().map(Moved::newLatest).toArray(String[]::new))
                .param("now", Timestamp.from(now))
                .query((rs, row) -> changeOf(rs, cancellations))
                .list();
        history.record(now, changes);
        return changes.size();
    }
}
