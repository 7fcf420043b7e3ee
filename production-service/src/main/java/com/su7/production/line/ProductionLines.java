package com.su7.production.line;

import com.su7.messaging.chore.PeriodicChore;
import com.su7.production.queue.QueueEtaProjection;
import com.su7.production.shared.ProductionDays;
import com.su7.production.shared.ProductionProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Optional;

/**
 * The simulated lines: a scheduled check of the clock that builds every factory day that has ended, in
 * order, catching up days missed while the service was down. With the simulation off
 * ({@code production.lines.enabled=false}) a real factory feed reports units, and this only re-projects the
 * queue's ETAs once per factory day (the feed builds out of the plan's order, so positions drift).
 */
@Component
class ProductionLines implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProductionLines.class);

    private final DayBuilder builder;
    private final QueueEtaProjection projection;
    private final ProductionDays days;
    private final ProductionProperties.Lines settings;
    private final Counter unitsBuilt;
    private volatile PeriodicChore schedule;
    private volatile boolean running;
    /** Set while stopping, so a long catch-up ends after the day in progress. */
    private volatile boolean stopping;
    private LocalDate lastProjected;

    ProductionLines(DayBuilder builder, QueueEtaProjection projection, ProductionDays days, ProductionProperties properties,
                    MeterRegistry meters) {
        this.builder = builder;
        this.projection = projection;
        this.days = days;
        this.settings = properties.lines();
        this.unitsBuilt = Counter.builder("su7.production.units.built").tag("source", "line")
                .description("Units built by the simulated lines").register(meters);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopping = false;
        schedule = PeriodicChore.fromStartEvery(settings.pollInterval(), "production-lines", this::tick);
        schedule.start();
        log.info("production lines started ({}), checking the clock every {}",
                settings.enabled() ? "simulated" : "simulation off, units come from the factory feed", settings.pollInterval());
    }

    @Override
    public synchronized void stop() {
        if (beginStop()) {
            schedule.stop();
        }
    }

    /** The day in progress ends while the context stops its other beans (within its per-phase timeout). */
    @Override
    public synchronized void stop(Runnable callback) {
        if (beginStop()) {
            schedule.stop(callback);
        } else {
            callback.run();
        }
    }

    /** Whether the lines were running: a long catch-up then ends after the day in progress. */
    private boolean beginStop() {
        if (!running) {
            return false;
        }
        running = false;
        stopping = true;
        return true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One look at the clock; package-private for tests. A day that fails is rolled back whole: the next look builds it. */
    void tick() {
        if (settings.enabled()) {
            buildEndedDays();
        } else {
            projectOncePerDay();
        }
    }

    private void buildEndedDays() {
        Optional<DayBuilder.BuiltDay> built;
        while (!stopping && (built = builder.buildNextEndedDay()).isPresent()) {
            DayBuilder.BuiltDay day = built.get();
            unitsBuilt.increment(day.built());
            if (day.from().equals(day.to())) {
                log.info("factory day {} built: {} units of a capacity of {}", day.from(), day.built(), day.capacity());
            } else {
                log.info("factory days {} to {} built nothing: no preorder was queued", day.from(), day.to());
            }
        }
    }

    private void projectOncePerDay() {
        LocalDate today = days.today();
        if (!today.equals(lastProjected)) {
            projection.recomputeAll();
            lastProjected = today;
        }
    }
}
