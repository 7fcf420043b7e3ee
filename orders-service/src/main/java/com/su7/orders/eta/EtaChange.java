package com.su7.orders.eta;

import java.time.Instant;
import java.time.LocalDate;

/** One change of a preorder's ETA; the old range is null for the first estimate. */
public record EtaChange(Instant at, EtaCause cause, LocalDate oldEarliest, LocalDate oldLatest,
                        LocalDate newEarliest, LocalDate newLatest) {
}
