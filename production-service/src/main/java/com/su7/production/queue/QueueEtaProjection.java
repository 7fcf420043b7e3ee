package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;
import com.su7.production.capacity.CapacityPeriod;
import com.su7.production.capacity.CapacityPlanChanged;
import com.su7.production.capacity.CapacityPlans;
import com.su7.production.shared.AfterCommit;
import com.su7.production.shared.ProductionDays;
import com.su7.production.shared.ProductionProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Date;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The production queue's ETA projection (orders-service keeps the customer-facing one, from observed builds; the
 * root README's "One ETA model" compares them). Projects, for every queued preorder, its build date from its
 * queue position and the capacity plan, and its ETA = build date + transit days to its city. One set-based
 * statement: queue positions by a window function, the plan's periods (read through {@link CapacityPlans}, passed as
 * arrays) numbered by the positions they build (cumulative capacity up to the horizon), a position's day counted from
 * the start of its period. A preorder beyond the horizon (or behind a plan that ends) has no estimate.
 * <p>
 * Newly queued preorders move everyone behind them, and a preorder leaving the queue other than by the lines (cancelled,
 * or given a cancelled preorder's unit) moves them up, so the queue is projected from the earliest preorder queued or
 * gone since the last round, once every {@code production.eta.projection-interval} (not once per intake batch: with a
 * long queue each projection takes long, and intake batches come many times a second in a launch burst). The first
 * round after a start projects the whole queue, so what was queued just before a crash gets its estimate too.
 */
@Component
public class QueueEtaProjection implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(QueueEtaProjection.class);

    /** Projects the queue from a key (placedAt, preorder id) on; the rows before it keep their position. */
    static final String PROJECT_FROM = """
            -- the queue's length (kept as deltas, V10) less the tail: counting every preorder ahead of the tail visited
            -- each of them, 0.2-0.5 s a round with 100,000 queued in a launch burst (a sum of bigint is numeric: cast
            -- back, or the positions would be numeric and a day's division would round)
            with start as (
                select (select coalesce(sum(delta), 0)::bigint from queue_length_delta)
                       - (select count(*) from production_queue
                          where status = 'QUEUED' and (placed_at, preorder_id) >= (?::timestamptz, ?::uuid)) as ahead),
            -- materialized: the planner guesses a few rows for a range of the queue and, given a subquery, joins it to
            -- the rows to update in a nested loop (1,000 × 1,000 for a round after 1,000 new preorders: 80 ms)
            queued as materialized (
                select q.preorder_id, q.city_key,
                       s.ahead + row_number() over (order by q.placed_at, q.preorder_id) as position
                from production_queue q cross join start s
                where q.status = 'QUEUED' and (q.placed_at, q.preorder_id) >= (?::timestamptz, ?::uuid)),
            -- materialized: every queued row's period is found by a nested loop over the periods (a range join), which
            -- reads them as they are, not numbering them again per row
            plan as materialized (
                -- the plan's periods within [first open day, horizon], each with the places before it: days are not
                -- expanded one by one (ten years of them every round), a place's day is counted from its period's start
                -- (sums of bigint are numeric: cast back, so a position's day is an integer division, not a rounding)
                select p.first_day, p.units_per_day,
                       (sum(p.units) over (order by p.first_day))::bigint - p.units as places_before,
                       (sum(p.units) over (order by p.first_day))::bigint as places_through
                from (select greatest(p.valid_from, ?::date) as first_day, p.units_per_day,
                             (least(coalesce(p.valid_to, ?::date + ?::integer + 1), ?::date + ?::integer + 1)
                              - greatest(p.valid_from, ?::date))::bigint * p.units_per_day as units
                      from unnest(?::date[], ?::date[], ?::integer[]) as p(valid_from, valid_to, units_per_day)) p
                where p.units > 0),
            projected as (
                select queued.preorder_id, built.factory_date, built.factory_date + coalesce(t.transit_days, ?::integer) as eta
                from queued
                left join plan on queued.position > plan.places_before and queued.position <= plan.places_through
                cross join lateral (select plan.first_day + ((queued.position - plan.places_before - 1) / plan.units_per_day)::integer
                                        as factory_date) built
                left join city_transit t on t.city_key = queued.city_key)
            update production_queue q
            set estimated_build_date = projected.factory_date, eta = projected.eta
            from projected
            where q.preorder_id = projected.preorder_id
              -- the rows queued read, found as it found them (production_queue_order), not by hashing the whole table
              and q.status = 'QUEUED' and (q.placed_at, q.preorder_id) >= (?::timestamptz, ?::uuid)
              and (q.estimated_build_date is distinct from projected.factory_date or q.eta is distinct from projected.eta)""";

    /**
     * Set in the round's transaction before {@link #PROJECT_FROM}. The positions of a 100,000 queue are sorted and hashed
     * in memory, not on disk. And no nested loops: at a launch the statistics are an empty table's (autovacuum has not
     * analyzed the burst yet), the planner expects one queued row, and it joined the rows to update to their positions in
     * a nested loop that read every position once per row: one round of a default ./run.sh took 69 s for ~60,000
     * queued, holding the production day's lock, so the lines built nothing meanwhile and every customer was told later.
     * Without them the join hashes the positions whatever the statistics say; the range join to the plan's few periods,
     * which only a nested loop can do, still is one.
     */
    static final List<String> SETTINGS = List.of("set local work_mem = '64MB'", "set local enable_nestloop = off");

    private static final String NIL_ID = "00000000-0000-0000-0000-000000000000";

    /** Stands for "the whole queue" among the preorders to project from: it sorts before every real one. */
    private static final QueuedPreorder QUEUE_START = new QueuedPreorder(new PreorderId(UUID.fromString(NIL_ID)), Variant.SU7, "",
            Instant.MIN);

    private final JdbcTemplate jdbc;
    private final CapacityPlans capacityPlans;
    private final TransactionTemplate transactions;
    private final ProductionDays days;
    private final ProductionProperties properties;
    private final Timer allTimer;
    private final Timer tailTimer;
    /** The earliest preorder queued since the last projection; null when there is none. */
    private final AtomicReference<QueuedPreorder> projectFrom = new AtomicReference<>(QUEUE_START);

    QueueEtaProjection(JdbcTemplate jdbc, CapacityPlans capacityPlans, TransactionTemplate transactions, ProductionDays days,
                       ProductionProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.capacityPlans = capacityPlans;
        this.transactions = transactions;
        this.days = days;
        this.properties = properties;
        this.allTimer = Timer.builder("su7.production.eta.recompute").tag("scope", "queue")
                .description("Recomputing the ETAs of the whole queue").register(meters);
        this.tailTimer = Timer.builder("su7.production.eta.recompute").tag("scope", "tail")
                .description("Projecting newly queued preorders and those behind them").register(meters);
    }

    /** Every queued ETA at once; returns how many changed. Timed and logged once committed (a preview rolls it back). */
    @Transactional
    public int recomputeAll() {
        days.lock();
        long started = System.nanoTime();
        int changed = project("-infinity", NIL_ID);
        long took = System.nanoTime() - started;
        AfterCommit.run(() -> {
            allTimer.record(took, TimeUnit.NANOSECONDS);
            log.info("recomputed the ETAs of the queue: {} changed", changed);
        });
        return changed;
    }

    @EventListener
    void on(CapacityPlanChanged change) {
        recomputeAll();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::projectQueuedSinceLastRound, properties.eta().projectionInterval());
    }

    /**
     * These preorders join or leave the queue in the current transaction: once it has committed, the next round
     * projects from the earliest of them (not under the queue lock here: intake stays short while the lines build).
     */
    void projectAfterCommit(Collection<QueuedPreorder> joinedOrLeft) {
        joinedOrLeft.stream().min(QUEUE_ORDER).ifPresent(first ->
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        projectLaterFrom(first);
                    }
                }));
    }

    /** Project from this preorder at the next round. */
    private void projectLaterFrom(QueuedPreorder preorder) {
        projectFrom.accumulateAndGet(preorder, QueueEtaProjection::earlier);
    }

    /** One round: the preorders queued since the last one and everything behind them. */
    void projectQueuedSinceLastRound() {
        QueuedPreorder from = projectFrom.getAndSet(null);
        if (from == null) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> {
                days.lock();
                Timer.Sample sample = Timer.start();
                project(from == QUEUE_START ? "-infinity" : from.placedAt().toString(), from.id().toString());
                sample.stop(tailTimer);
            });
        } catch (RuntimeException | Error e) {
            // An Error too: the preorders queued since the last round would otherwise keep their ETAs until the next
            // queue change.
            projectLaterFrom(from);
            if (e instanceof Error error) {
                throw error;
            }
            log.warn("could not project the queue's ETAs (retried at the next round): {}", e.toString());
        }
    }

    private static QueuedPreorder earlier(QueuedPreorder current, QueuedPreorder candidate) {
        return current == null || QUEUE_ORDER.compare(candidate, current) < 0 ? candidate : current;
    }

    private int project(String fromPlacedAt, String fromId) {
        SETTINGS.forEach(jdbc::execute);
        return jdbc.update(PROJECT_FROM, parameters(fromPlacedAt, fromId));
    }

    /** {@link #PROJECT_FROM}'s parameters, to project from a key (placedAt, preorder id) on. */
    Object[] parameters(String fromPlacedAt, String fromId) {
        Date firstDay = Date.valueOf(days.firstOpenDay());
        int horizon = properties.eta().horizonDays();
        List<CapacityPeriod> periods = capacityPlans.current().periods();
        return new Object[]{fromPlacedAt, fromId, fromPlacedAt, fromId, firstDay, firstDay, horizon, firstDay,
                horizon, firstDay, column(periods, period -> period.from().toString()),
                column(periods, period -> period.to() == null ? null : period.to().toString()),
                column(periods, period -> String.valueOf(period.unitsPerDay())), properties.eta().defaultTransitDays(),
                fromPlacedAt, fromId};
    }

    /** One column of the plan's periods, as text for PostgreSQL to cast. */
    private static String[] column(List<CapacityPeriod> periods, Function<CapacityPeriod, String> value) {
        return periods.stream().map(value).toArray(String[]::new);
    }

    /** Queue order, as the projection sorts; {@link #QUEUE_START} first. */
    static final Comparator<QueuedPreorder> QUEUE_ORDER =
            // the UUID's text compares like PostgreSQL's uuid (unsigned bytes), unlike UUID.compareTo
            Comparator.comparing(QueuedPreorder::placedAt).thenComparing(preorder -> preorder.id().toString());
}
