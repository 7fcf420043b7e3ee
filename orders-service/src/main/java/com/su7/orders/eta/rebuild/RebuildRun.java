package com.su7.orders.eta.rebuild;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** One rebuild of the ETA projection as it goes, written by the rebuild's thread and read by the API. */
final class RebuildRun {

    enum Phase { REPLAYING, SWITCHING, COMPLETED, FAILED }

    private final UUID id = UUID.randomUUID();
    private final Instant startedAt;
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
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
        return phase == Phase.COMPLETED || phase == Phase.FAILED;
    }

    void toReplay(long records) {
        toReplay = records;
    }

    void replayed(long records) {
        replayed.addAndGet(records);
    }

    void skipped() {
        skipped.incrementAndGet();
    }

    void switching() {
        phase = Phase.SWITCHING;
    }

    void switched(ProjectionTables.Comparison comparison, int datesChanged, Duration writesPaused) {
        this.comparison = comparison;
        this.datesChanged = datesChanged;
        this.writesPaused = writesPaused;
    }

    void completed(Instant at) {
        finishedAt = at;
        phase = Phase.COMPLETED;
    }

    void failed(Instant at, Exception cause) {
        failure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        finishedAt = at;
        phase = Phase.FAILED;
    }

    RebuildStatus status() {
        return new RebuildStatus(id, phase, startedAt, finishedAt, toReplay, replayed.get(), skipped.get(),
                writesPaused == null ? null : writesPaused.toMillis(), datesChanged, comparison, failure);
    }

    /**
     * What the API shows of a rebuild. {@code recordsToReplay} is what the topics held when it started or, once
     * switching, when writes were paused; {@code recordsSkipped} are records the live projection could not apply
     * either (they are in the dead-letter topics); {@code writesPausedMillis} is how long placements and the
     * projection's listeners waited for the switch; {@code datesChanged} is how many customers' dates the rebuilt
     * projection shows differently (each is in their ETA history with cause REBUILT).
     */
    record RebuildStatus(UUID id, Phase phase, Instant startedAt, Instant finishedAt, long recordsToReplay,
                         long recordsReplayed, long recordsSkipped, Long writesPausedMillis, Integer datesChanged,
                         ProjectionTables.Comparison comparison, String failure) {
    }
}
