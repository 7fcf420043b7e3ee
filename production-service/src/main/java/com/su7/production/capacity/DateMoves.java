package com.su7.production.capacity;

/**
 * How the queued preorders' ETAs moved: each queued preorder counts in one of moved earlier, moved later, unchanged
 * (both dates the same, or neither), newly estimated, no longer estimated (behind a plan that ends). A preorder's
 * build date and ETA move together (the ETA is the build date plus its city's transit days).
 */
public record DateMoves(long queued, long movedEarlier, long movedLater, long unchanged, long newlyEstimated, long noLongerEstimated,
                        DaysMoved daysEarlier, DaysMoved daysLater) {

    /**
     * By how many days (factory days, which are calendar days) the preorders moved: nearest-rank percentiles, the
     * smallest number of days that many of them moved at most; all 0 when none moved.
     */
    public record DaysMoved(int p50, int p95, int max) {
    }
}
