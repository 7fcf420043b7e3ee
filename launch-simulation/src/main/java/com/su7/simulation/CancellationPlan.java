package com.su7.simulation;

import com.su7.events.CancellationReason;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * Which customers cancel, why and when: a share of the preorders, each at a time drawn evenly from the first half
 * ({@value #WINDOW_USED}) of its refund window after placement, with the reasons spread as customers give them: most
 * changed their mind, some could not finance, a few other. The second half is margin for the backend to find the
 * preorder and for the call: under a one-second factory day, the seconds a loaded system takes are days.
 *
 * @param share        share of preorders cancelled, 0 to 1
 * @param refundWindow how long after placement orders-service still takes a cancellation
 */
record CancellationPlan(double share, Duration refundWindow) {

    static final double WINDOW_USED = 0.5;

    CancellationPlan {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("--cancel-share must be between 0 and 1, not " + share);
        }
        if (refundWindow.isNegative() || refundWindow.isZero()) {
            throw new IllegalArgumentException("the refund window must be longer than zero, not " + refundWindow);
        }
    }

    /** A customer's cancellation: why, and how long after their preorder was placed. */
    record Cancellation(CancellationReason reason, Duration afterPlacement) {
    }

    /** Whether the next customer cancels (empty: they keep their preorder). */
    Optional<Cancellation> decide(Random random) {
        if (random.nextDouble() >= share) {
            return Optional.empty();
        }
        double reason = random.nextDouble();
        return Optional.of(new Cancellation(
                reason < 0.6 ? CancellationReason.CHANGED_MIND : reason < 0.85 ? CancellationReason.FINANCING : CancellationReason.OTHER,
                Duration.ofNanos((long) (refundWindow.toNanos() * WINDOW_USED * random.nextDouble()))));
    }
}
