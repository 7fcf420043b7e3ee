package com.su7.production.capacity;

/**
 * The queue's projected dates, compared before and after a plan change in one transaction. The queue implements it;
 * the plan does not depend on the queue.
 */
public interface ProjectedDates {

    /** Remembers every queued preorder's projected build date and ETA, in the current transaction (under the queue lock). */
    Snapshot snapshot();

    interface Snapshot {

        /** How the queued preorders' ETAs moved since the snapshot, in the same transaction. */
        DateMoves movesSince();
    }
}
