package com.su7.orders.eta.rebuild;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** One rebuild of the ETA projection as it goes, written by the rebuild's thread and read by the API. */
final class RebuildRun {

    /**
     * {@code COMPLETED}: the rebuilt tables are live. {@code REFUSED}: replayed, but not switched to, because the
     * rebuild skipped records the live projection did not. {@code FAILED}: a failure that outlasted the rebuild's
     * patience (or a bug); not switched to either. A run that did not complete left the live tables as they were.
     */
    enum Phase { REPLAYING, SWITCHING, COMPLETED, REFUSED, FAILED }

    /** The status lists this many skipped records (those that block the switch first); the counts cover them all. */
    static final int LISTED_SKIPS = 100;

    private final UUID id = UUID.randomUUID();
    private final Instant startedAt;
    private final AtomicLong replayed = new AtomicLong();
    // By record, so a batch read again after a transient failure does not count its skips twice.
    private final Map<String, SkippedRecord> skipped = new LinkedHashMap<>();
    private final AtomicLong transientFailures = new AtomicLong();
    private volatile String lastTransientFailure;
    private volatile Phase phase = Phase.REPLAYING;
    private volatile long toReplay;
    private volatile Instant finishedAt;
    private volatile ProjectionTables.Comparison comparison;
    private volatile Integer datesChanged;
    private volatile Duration writesPaused;
    private volatile String failure;

    RebuildRun(Instant startedAt) {
        this.startedAt = startedAt;
    }

    UUID id() {
        return id;
    }

    boolean finished() {
        return phase == Phase.COMPLETED || phase == Phase.REFUSED || phase == Phase.FAILED;
    }

    void toReplay(long records) {
        toReplay = records;
    }

    void replayed(long records) {
        replayed.addAndGet(records);
    }

    synchronized void skipped(SkippedRecord record) {
        skipped.putIfAbsent(record.record(), record);
    }

    /** The skipped records the live projection did not skip: each would be missing from the rebuilt tables. */
    synchronized List<SkippedRecord> skippedOnlyByTheRebuild() {
        return skipped.values().stream().filter(record -> !record.skippedByTheLiveProjection()).toList();
    }

    void failedForAWhile(Throwable cause) {
        transientFailures.incrementAndGet();
        lastTransientFailure = describe(cause);
    }

    void switching() {
        phase = Phase.SWITCHING;
    }

    void compared(ProjectionTables.Comparison comparison, Duration writesPaused) {
        this.comparison = comparison;
        this.writesPaused = writesPaused;
    }

    void switched(int datesChanged) {
        this.datesChanged = datesChanged;
    }

    void completed(Instant at) {
        finishedAt = at;
        phase = Phase.COMPLETED;
    }

    void refused(Instant at, String reason) {
        failure = reason;
        finishedAt = at;
        phase = Phase.REFUSED;
    }

    void failed(Instant at, Throwable cause) {
        failure = describe(cause);
        finishedAt = at;
        phase = Phase.FAILED;
    }

    /** The failure and its root cause: a wrapper's message alone often hides which server said no. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure || outer.contains(String.valueOf(root.getMessage())) ? outer
                : outer + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    synchronized RebuildStatus status() {
        List<SkippedRecord> listed = new ArrayList<>(skipped.values());
        listed.sort(Comparator.comparing(SkippedRecord::skippedByTheLiveProjection));
        long onlyByTheRebuild = listed.stream().filter(record -> !record.skippedByTheLiveProjection()).count();
        return new RebuildStatus(id, phase, startedAt, finishedAt, toReplay, replayed.get(), skipped.size(), onlyByTheRebuild,
                List.copyOf(listed.subList(0, Math.min(listed.size(), LISTED_SKIPS))), transientFailures.get(),
                lastTransientFailure, writesPaused == null ? null : writesPaused.toMillis(), datesChanged, comparison, failure);
    }

    /**
     * A record the rebuild left out because it is at fault itself (it cannot be decoded, or the projection refuses
     * it); {@code skippedByTheLiveProjection} says whether the live projection left it out too (its listener
     * dead-lettered it; for the service's own PreorderPlaced: the live projection holds no preorder of its key).
     */
    record SkippedRecord(String record, String key, String reason, boolean skippedByTheLiveProjection) {
    }

    /**
     * What the API shows of a rebuild. {@code recordsToReplay} is what the topics held when it started or, once
     * switching, when writes were paused; {@code recordsSkipped} counts the records at fault, of which
     * {@code recordsSkippedOnlyByTheRebuild} the live projection did not skip (any of them refuses the switch);
     * {@code skippedRecords} lists them ({@value #LISTED_SKIPS} at most, those only the rebuild skipped first);
     * {@code transientFailures} counts failures that were not the events' fault (the registry or the database away)
     * that the rebuild waited out, the last one in {@code lastTransientFailure}; {@code writesPausedMillis} is how
     * long placements and the projection's listeners waited for the switch; {@code datesChanged} is how many
     * customers' dates the rebuilt projection shows differently (each is in their ETA history with cause REBUILT);
     * {@code failure} says why a run was refused or failed.
     */
    record RebuildStatus(UUID id, Phase phase, Instant startedAt, Instant finishedAt, long recordsToReplay,
                         long recordsReplayed, long recordsSkipped, long recordsSkippedOnlyByTheRebuild,
                         List<SkippedRecord> skippedRecords, long transientFailures, String lastTransientFailure,
                         Long writesPausedMillis, Integer datesChanged, ProjectionTables.Comparison comparison,
                         String failure) {
    }
}
