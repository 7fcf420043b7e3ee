package com.su7.delivery.center;

import java.util.List;

/**
 * Told, in the transaction that raised a centre's capacity, so the schedule can use the new slots at once.
 * The schedule implements it; the centres do not depend on the schedule.
 */
public interface CapacityRaised {

    /** @return by how many days each hand-over that moved to an earlier day moved, one entry per hand-over */
    List<Integer> capacityRaised(Center center, int previousCapacity);
}
