package com.su7.delivery.center;

/**
 * Told, in the transaction that raised a centre's capacity, so the schedule can use the new slots at once.
 * The schedule implements it; the centres do not depend on the schedule.
 */
public interface CapacityRaised {

    /** @return how many hand-overs moved to an earlier day */
    int capacityRaised(Center center, int previousCapacity);
}
