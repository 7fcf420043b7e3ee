package com.su7.messaging.deadletter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies dead letters again, key by key in the order they were consumed, through the consumer that refused them:
 * each chain starts at its key's oldest unresolved dead letter and stops at the first that fails again, so a later
 * event of a preorder is never applied ahead of an earlier one. Nothing is written to a topic of record: the inbox
 * applies the stored record, and its record of processed events makes a second application change nothing.
 * Concurrent redrives (two instances, or a redrive beside the release below) are safe for the same reason.
 */
public final class Redrives {

    private static final Logger log = LoggerFactory.getLogger(Redrives.class);
    private static final String RELEASE = "release of held records";

    private final DeadLetterStore store;
    private final Redrivable.Consumers consumers;
    private final JdbcTemplate jdbc;
    private final DeadLetterProperties properties;

    public Redrives(DeadLetterStore store, Redrivable.Consumers consumers, JdbcTemplate jdbc, DeadLetterProperties properties) {
        this.store = store;
        this.consumers = consumers;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    public RedriveReport redrive(DeadLetterFilter filter, boolean dryRun, String requestedBy) {
        Instant requestedAt = Instant.now();
        List<List<DeadLetter>> chains = store.chains(filter, properties.maxChains());
        return run(chains, filter.toString(), dryRun, requestedBy, requestedAt);
    }

    /**
     * Records held behind a dead letter that a redrive resolved while they were being set aside (the two raced)
     * would otherwise wait for good: release them, in order (messaging's auto-configuration calls this on a schedule).
     */
    public void releaseHeldRecords() {
        List<List<DeadLetter>> chains = store.releasableChains(properties.maxChains());
        if (!chains.isEmpty()) {
            RedriveReport report = run(chains, "held records whose dead letter was resolved", false, RELEASE, Instant.now());
            log.info("released {} held records: {} applied, {} already applied, {} failed", report.matched(),
                    report.applied(), report.alreadyApplied(), report.failed());
        }
    }

    private RedriveReport run(List<List<DeadLetter>> chains, String filter, boolean dryRun, String requestedBy, Instant requestedAt) {
        List<RedriveReport.Line> lines = new ArrayList<>();
        int matched = 0, applied = 0, alreadyApplied = 0, failed = 0, parked = 0;
        for (List<DeadLetter> chain : chains) {
            matched += chain.size();
            boolean blocked = false;
            for (DeadLetter letter : chain) {
                if (blocked) {
                    lines.add(line(letter, "NOT_REACHED", "behind a dead letter of the same key that was not applied"));
                    continue;
                }
                if (letter.state() == DeadLetterState.PARKED) {
                    lines.add(line(letter, "SKIPPED_PARKED", letter.reason()));
                    blocked = true;
                    continue;
                }
                if (dryRun) {
                    lines.add(line(letter, "WOULD_REDRIVE", letter.reason()));
                    continue;
                }
                Optional<Redrivable> consumer = consumers.consumer(letter.consumer());
                if (consumer.isEmpty()) {
                    lines.add(line(letter, "FAILED", "this service has no consumer " + letter.consumer()));
                    failed++;
                    blocked = true;
                    continue;
                }
                try {
                    Redrivable.Outcome outcome = consumer.get().reapply(letter);
                    store.resolve(letter.id(), outcome.name());
                    lines.add(line(letter, outcome.name(), null));
                    if (outcome == Redrivable.Outcome.APPLIED) {
                        applied++;
                    } else {
                        alreadyApplied++;
                    }
                } catch (RuntimeException | Error failure) {
                    // An Error too (a handler's recursion): counted against the letter like any failure, or one record
                    // would stop every release after it, at every release.
                    DeadLetterState now = store.failedAgain(letter.id(), failure, properties.maxRedrives());
                    log.warn("redrive of dead letter {} ({} {}-{}@{}) failed{}: {}", letter.id(), letter.consumer(),
                            letter.topic(), letter.partition(), letter.offset(),
                            now == DeadLetterState.PARKED ? " and it is parked" : "", failure.toString());
                    lines.add(line(letter, now == DeadLetterState.PARKED ? "PARKED" : "FAILED", String.valueOf(failure.getMessage())));
                    if (now == DeadLetterState.PARKED) {
                        parked++;
                    } else {
                        failed++;
                    }
                    blocked = true;
                }
            }
        }
        Instant finishedAt = Instant.now();
        Long id = jdbc.queryForObject("""
                insert into dead_letter_redrive (requested_by, requested_at, filter, dry_run, matched, applied,
                    already_applied, failed, parked, finished_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""", Long.class,
                requestedBy, Timestamp.from(requestedAt), filter, dryRun, matched, applied, alreadyApplied, failed,
                parked, Timestamp.from(finishedAt));
        return new RedriveReport(id, requestedBy, requestedAt, filter, dryRun, matched, applied, alreadyApplied,
                failed, parked, finishedAt, lines);
    }

    /** The recorded redrives, newest first (their lines are in the answer to each redrive, not kept). */
    public List<RedriveReport> history(int limit) {
        return jdbc.query("""
                select id, requested_by, requested_at, filter, dry_run, matched, applied, already_applied, failed,
                    parked, finished_at
                from dead_letter_redrive order by id desc limit ?""",
                (rs, row) -> new RedriveReport(rs.getLong("id"), rs.getString("requested_by"),
                        rs.getTimestamp("requested_at").toInstant(), rs.getString("filter"), rs.getBoolean("dry_run"),
                        rs.getInt("matched"), rs.getInt("applied"), rs.getInt("already_applied"), rs.getInt("failed"),
                        rs.getInt("parked"), rs.getTimestamp("finished_at").toInstant(), List.of()),
                limit);
    }

    private static RedriveReport.Line line(DeadLetter letter, String outcome, String reason) {
        return new RedriveReport.Line(letter.id(), letter.consumer(), letter.topic(), letter.key(), outcome, reason);
    }
}
