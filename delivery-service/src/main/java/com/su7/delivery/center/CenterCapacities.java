package com.su7.delivery.center;

import com.su7.delivery.support.ScheduleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
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

    record Outcome(Center center, int previousCapacity, int movedEarlier) {
    }

    @Transactional
    Outcome change(String city, int capacity, String changedBy, String reason) {
        // first, so no booking runs with the old capacity while it changes (lowered capacity is never overbooked)
        lock.acquire();
        Center current = centers.lockServing(city).orElseThrow(() -> new CenterNotFoundException(city));
        if (current.dailyCapacity() == capacity) {
            return new Outcome(current, capacity, 0);
        }
        var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        centers.changeCapacity(current.city(), capacity, now);
        centers.recordChange(new CapacityChange(current.city(), current.dailyCapacity(), capacity, changedBy, reason, now));
        Center changed = centers.get(current.city());
        int moved = 0;
        if (capacity > current.dailyCapacity()) {
            for (CapacityRaised listener : onRaise) {
                moved += listener.capacityRaised(changed, current.dailyCapacity());
            }
        }
        log.info("capacity of {} changed from {} to {} by {} ({}); {} hand-overs moved earlier",
                changed.name(), current.dailyCapacity(), capacity, changedBy, reason, moved);
        return new Outcome(changed, current.dailyCapacity(), moved);
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
