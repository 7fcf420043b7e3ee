package com.su7.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far placing fell behind the launch curve: the most preorders offered (sent) but not yet placed at one
 * moment, and the longest wait between the n-th preorder offered and the n-th placed (the horizontal gap between
 * the two curves). Preorders never placed count in the first, not in the second.
 *
 * @param maxPreorders    the most preorders offered and not yet placed at once
 * @param maxPreordersAt  when that was (empty when nothing was ever waiting)
 * @param maxDelay        the longest gap between the n-th offered and the n-th placed
 * @param neverPlaced     offered but not placed by the end
 */
record LaunchBacklog(long maxPreorders, Optional<Instant> maxPreordersAt, Duration maxDelay, long neverPlaced) {

    /** Both lists sorted, oldest first. */
    static LaunchBacklog of(List<Instant> offered, List<Instant> placed) {
        long max = 0;
        Instant maxAt = null;
        int next = 0;
        // Each offer raises the backlog; every placement up to that moment has lowered it already.
        for (int i = 0; i < offered.size(); i++) {
            Instant at = offered.get(i);
            while (next < placed.size() && !placed.get(next).isAfter(at)) {
                next++;
            }
            long waiting = i + 1L - next;
            if (waiting > max) {
                max = waiting;
                maxAt = at;
            }
        }
        Duration maxDelay = Duration.ZERO;
        for (int n = 0; n < Math.min(offered.size(), placed.size()); n++) {
            Duration delay = Duration.between(offered.get(n), placed.get(n));
            if (delay.compareTo(maxDelay) > 0) {
                maxDelay = delay;
            }
        }
        return new LaunchBacklog(max, Optional.ofNullable(maxAt), maxDelay, Math.max(0, offered.size() - placed.size()));
    }
}
