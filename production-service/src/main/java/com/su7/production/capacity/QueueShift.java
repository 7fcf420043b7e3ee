package com.su7.production.capacity;

/**
 * What a plan change does to the queued preorders' projected build dates (their ETAs move by the same days).
 *
 * @param queued            preorders queued
 * @param movedEarlier      those whose build date would come earlier, and by how many factory days
 * @param movedLater        those whose build date would come later
 * @param newlyEstimated    those without an estimate before (beyond the horizon, or behind a pause) that get one
 * @param noLongerEstimated those with an estimate before that lose it
 */
public record QueueShift(long queued, long movedEarlier, Days daysEarlier, long movedLater, Days daysLater, long unchanged,
                         long newlyEstimated, long noLongerEstimated) {

    /** Factory days moved, over the preorders that moved that way (zeros when none did). */
    public record Days(int p50, int p95, int max) {
    }

    /**
     * Measures a change made in the current transaction: {@link #beforeChange()} remembers the dates,
     * {@link #afterChange()} compares. Implemented where the queue lives, so the plan need not know the queue.
     */
    public interface Meter {

        void beforeChange();

        QueueShift afterChange();
    }
}
