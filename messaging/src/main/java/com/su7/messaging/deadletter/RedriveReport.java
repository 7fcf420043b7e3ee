package com.su7.messaging.deadletter;

import java.time.Instant;
import java.util.List;

/**
 * What a redrive did (or, as a dry run, would do).
 *
 * @param letters every dead letter it took, in the order it took them, with what became of each
 */
public record RedriveReport(Long id, String requestedBy, Instant requestedAt, String filter, boolean dryRun,
                            int matched, int applied, int alreadyApplied, int failed, int parked, Instant finishedAt,
                            List<Line> letters) {

    /**
     * @param outcome APPLIED, ALREADY_APPLIED, FAILED, PARKED, SKIPPED_PARKED (a parked one is never redriven),
     *                NOT_REACHED (behind one that failed), or WOULD_REDRIVE in a dry run
     */
    public record Line(long deadLetterId, String consumer, String topic, String preorderId, String outcome, String reason) {
    }
}
