package com.su7.delivery.schedule;

import com.su7.contract.PreorderId;

import java.time.Instant;
import java.time.LocalDate;

/** What the schedule knows of one preorder, from whichever of its events arrived (see the V2 and V4 migrations). */
record DeliveryPreorder(PreorderId preorderId, String status, String centerCity, Instant placedAt, String vin,
                        LocalDate buildDate, LocalDate deliveryDate, int revision) {

    static final String AWAITING_UNIT = "AWAITING_UNIT";
    static final String HELD = "HELD";
    static final String SCHEDULED = "SCHEDULED";
    static final String CANCELLED = "CANCELLED";

    boolean placed() {
        return placedAt != null;
    }

    boolean built() {
        return vin != null;
    }

    boolean scheduled() {
        return SCHEDULED.equals(status);
    }

    boolean cancelled() {
        return CANCELLED.equals(status);
    }
}
