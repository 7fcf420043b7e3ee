package com.su7.simulation;

import com.su7.events.EtaChangeCause;
import com.su7.events.PreorderStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One push notification to a customer: what it tells about each of their preorders.
 *
 * @param customerId whom it goes to
 * @param at         when it was sent
 * @param told       one entry per preorder it tells about (a customer with two preorders hears of both at once)
 */
record Push(String customerId, Instant at, List<Told> told) {

    enum Kind {
        /** The placement confirmation (the first ETA): a receipt, not news; outside the daily limit. */
        PLACED,
        /** The cancellation confirmation: a receipt too, outside the daily limit. */
        CANCELLED,
        /** An earlier date than the customer was told. */
        EARLIER,
        /** A later date than the customer was told: pushed at once. */
        LATER,
        /** The same dates, another status (built, scheduled). */
        STATUS
    }

    /**
     * @param cause  why the date changed (of the newest change, when several were held)
     * @param before the latest date the customer was told before (null for a confirmation of placement)
     * @param latest the latest date told now ("arrives by")
     */
    record Told(String preorderId, Kind kind, EtaChangeCause cause, LocalDate before, LocalDate earliest, LocalDate latest,
                PreorderStatus status) {
    }

    /** A receipt for something the customer did (placed, cancelled), which the daily limit does not count. */
    boolean confirmation() {
        return told.stream().allMatch(entry -> entry.kind() == Kind.PLACED || entry.kind() == Kind.CANCELLED);
    }

    boolean tells(Kind kind) {
        return told.stream().anyMatch(entry -> entry.kind() == kind);
    }
}
