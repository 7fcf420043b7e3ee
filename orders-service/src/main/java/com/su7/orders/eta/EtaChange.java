package com.su7.orders.eta;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One change of a preorder's ETA or status, as its customer was shown it and EtaChanged published it (revision 1 is the
 * first ETA); the old range is null for the first estimate. A REBUILT change written before v0.3.0 has no revision.
 */
public record EtaChange(Integer revision, Instant at, EtaCause cause, LocalDate oldEarliest, LocalDate oldLatest,
                        LocalDate newEarliest, LocalDate newLatest) {
}
