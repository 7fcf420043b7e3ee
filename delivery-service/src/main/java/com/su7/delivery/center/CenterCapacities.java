package com.su7.delivery.center;

import com.su7.delivery.support.ScheduleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes a centre's capacity, records who did it and why, and lets the schedule use raised capacity at once; or
 * previews a change by making it in a transaction that is rolled back.
 */
@Service
class CenterCapacities {

    private static final Logger log = LoggerFactory.getLogger(CenterCapacities.class);

    private final ScheduleLock lock;
    private final Centers centers;
    private final List<CapacityRaised> onRaise;
    private final Clock clock;
    /** A transaction of its own, always rolled back. */
    private final TransactionTemplate rehearsal;

    CenterCapacities(ScheduleLock lock, Centers centers, List<CapacityRaised> onRaise, Clock clock, PlatformTransactionManager transactions) {
        this.lock = lock;
        this.centers = centers;
        this.onRaise = onRaise;
        this.clock = clock;
        this.rehearsal = new TransactionTemplate(transactions);
        this.rehearsal.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** @param daysEarlier by how many days each hand-over that moved earlier moved */
    record Outcome(Center center, int previousCapacity, List<Integer> daysEarlier) {

        int movedEarlier() {
            return daysEarlier.size();
        }
    }

    @Transactional
    Outcome change(String city, int capacity, String changedBy, String reason) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Outcome outcome = apply(city, capacity, now);
        if (outcome.previousCapacity() != capacity) {
            centers.recordChange(new CapacityChange(outcome.center().city(), outcome.previousCapacity(), capacity, changedBy, reason, now));
            log.info("capacity of {} changed from {} to {} by {} ({}); {} hand-overs moved earlier",
                    outcome.center().name(), outcome.previousCapacity(), capacity, changedBy, reason, outcome.movedEarlier());
        }
        return outcome;
    }

    /**
     * What {@link #change} would do now, found by making the change in a transaction that is then rolled back: the
     * same hand-overs move, by the same days. Nothing is kept; no DeliveryScheduled leaves the outbox (it is written
     * at commit), no counter counts (they count after commit). It holds the schedule lock as long as the change would.
     */
    Outcome preview(String city, int capacity) {
        return rehearsal.execute(status -> {
            status.setRollbackOnly();
            return apply(city, capacity, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        });
    }

    /** The change itself, in the caller's transaction. */
    private Outcome apply(String city, int capacity, Instant now) {
        // first, so no booking runs with the old capacity while it changes (lowered capacity is never overbooked)
        lock.acquire();
        Center current = centers.lockServing(city).orElseThrow(() -> new CenterNotFoundException(city));
        if (current.dailyCapacity() == capacity) {
            return new Outcome(current, capacity, List.of());
        }
        centers.changeCapacity(current.city(), capacity, now);
        Center changed = centers.get(current.city());
        List<Integer> daysEarlier = new ArrayList<>();
        if (capacity > current.dailyCapacity()) {
            for (CapacityRaised listener : onRaise) {
                daysEarlier.addAll(listener.capacityRaised(changed, current.dailyCapacity()));
            }
        }
        return new Outcome(changed, current.dailyCapacity(), daysEarlier);
    }

    @Transactional(readOnly = true)
    List<CapacityChange> history(String city) {
        Center center = centers.serving(city).orElseThrow(() -> new CenterNotFoundException(city));
        return centers.changesOf(center.city());
    }

    @Transactional(readOnly = true)
    Center get(String city) {
        return centers.serving(city).orElseThrow(() -> new CenterNotFoundException(city));
    }
}
