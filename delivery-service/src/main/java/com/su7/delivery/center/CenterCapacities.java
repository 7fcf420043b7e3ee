package com.su7.delivery.center;

import com.su7.delivery.support.ScheduleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Changes a centre's capacity, records who did it and why, and lets the schedule use raised capacity at once. */
@Service
class CenterCapacities {

    private static final Logger log = LoggerFactory.getLogger(CenterCapacities.class);

    private final ScheduleLock lock;
    private final Centers centers;
    private final List<CapacityRaised> onRaise;
    private final Clock clock;

    CenterCapacities(ScheduleLock lock, Centers centers, List<CapacityRaised> onRaise, Clock clock) {
        this.lock = lock;
        this.centers = centers;
        this.onRaise = onRaise;
        this.clock = clock;
    }

    /** @param daysEarlier for each hand-over moved earlier, by how many days */
    record Outcome(Center center, int previousCapacity, List<Integer> daysEarlier) {

        int movedEarlier() {
            return daysEarlier.size();
        }
    }

    @Transactional
    Outcome change(String city, int capacity, String changedBy, String reason) {
        Outcome outcome = apply(city, capacity, changedBy, reason);
        if (outcome.previousCapacity() != capacity) {
            log.info("capacity of {} changed from {} to {} by {} ({}); {} hand-overs moved earlier",
                    outcome.center().name(), outcome.previousCapacity(), capacity, changedBy, reason, outcome.movedEarlier());
        }
        return outcome;
    }

    /**
     * What {@link #change} would do: the same change in a transaction rolled back at its end, so the answer is what
     * applying would do now, and nothing of it stays (capacity, schedule, DeliveryScheduled events, counters).
     */
    @Transactional
    Outcome preview(String city, int capacity) {
        TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
        return apply(city, capacity, "preview", "preview");
    }

    private Outcome apply(String city, int capacity, String changedBy, String reason) {
        // first, so no booking runs with the old capacity while it changes (lowered capacity is never overbooked)
        lock.acquire();
        Center current = centers.lockServing(city).orElseThrow(() -> new CenterNotFoundException(city));
        if (current.dailyCapacity() == capacity) {
            return new Outcome(current, capacity, List.of());
        }
        var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        centers.changeCapacity(current.city(), capacity, now);
        centers.recordChange(new CapacityChange(current.city(), current.dailyCapacity(), capacity, changedBy, reason, now));
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
