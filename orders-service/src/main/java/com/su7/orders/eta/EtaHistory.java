package com.su7.orders.eta;

import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.events.EtaChangeCause;
import com.su7.events.EtaChanged;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;
import com.su7.messaging.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What each customer was shown, in {@code eta_history}: every change of a preorder's ETA or status they see, with its
 * cause and its revision (1 for the first ETA, one more per change), oldest first. Each row is also published as an
 * {@link EtaChanged} through the outbox, in the transaction that writes it: the history row and the event are one
 * change. Every change counts in {@code su7.orders.eta.changes{cause}}.
 */
@Component
public class EtaHistory {

    private static final Logger log = LoggerFactory.getLogger(EtaHistory.class);

    /**
     * Whether the statement writes the live history, the one beside the outbox. A projection rebuild replays the
     * topics into copies of the projection's tables in a schema of their own (first in its search path): no customer
     * sees what it writes there, so nothing of it is published (its switch records what did change for customers).
     */
    static final String WRITES_LIVE_HISTORY = """
            (select relnamespace from pg_class where oid = 'eta_history'::regclass)
              = (select relnamespace from pg_class where oid = 'outbox_message'::regclass)""";

    /** The rows a statement's {@code shown} CTE inserted into {@code eta_history}: what {@link #shownOf} reads. */
    public static final String SHOWN = """
            select preorder_id, revision, cause, status, old_earliest, old_latest, new_earliest, new_latest, %s as live
            from shown""".formatted(WRITES_LIVE_HISTORY);

    /**
     * A CTE {@code latest}: the highest revision so far of each preorder given (an array expression), absent before its
     * first, for a statement that writes history rows from other tables (a rebuild's switch). Materialized, it is read
     * once before the statement's own inserts, never per row (why: {@link #record}). Format with the history table and
     * the preorder ids.
     */
    public static final String LATEST_REVISIONS = """
            latest as materialized (
                select preorder_id, max(revision) as revision from %s where preorder_id = any(%s) group by preorder_id
            )""";

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final PreorderCustomers customers;
    private final MeterRegistry meters;
    private final boolean publishChanges;

    EtaHistory(JdbcClient jdbc, Outbox outbox, PreorderCustomers customers, MeterRegistry meters, EtaProperties properties) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.customers = customers;
        this.meters = meters;
        this.publishChanges = properties.publishChanges();
    }

    /** A preorder's ETA went from {@code old} with {@code oldStatus} (both null for the first) to {@code now} with {@code status}. */
    record Change(UUID preorderId, EtaCause cause, ProjectionStatus oldStatus, Eta old, ProjectionStatus status, Eta now) {

        /** Whether the customer sees it: the first ETA, other dates or another status. */
        boolean isShown() {
            return old == null || !now.equals(old) || oldStatus != status;
        }
    }

    /** A change as written to {@code eta_history}: what is published. */
    public record Shown(UUID preorderId, int revision, EtaCause cause, ProjectionStatus status, Eta old, Eta now, boolean live) {
    }

    /**
     * Keeps the changes customers see and publishes them: their preorders' latest revisions with one statement, then the
     * rows with the next ones with another. Looked up in the same statement as the insert, row by row, the lookup was
     * planned while the history looked empty (a fresh database at launch) and scanned the table the statement was
     * filling once per row: the first refresh of 100,000 took 36 s instead of 2. A preorder's writers hold its
     * {@code preorder_eta} row, so two transactions cannot take the same revision.
     */
    void record(Instant at, List<Change> changes) {
        List<Change> shown = changes.stream().filter(Change::isShown).toList();
        if (shown.isEmpty()) {
            return;
        }
        UUID[] ids = shown.stream().map(Change::preorderId).toArray(UUID[]::new);
        Map<UUID, Integer> latest = new HashMap<>();
        jdbc.sql("select preorder_id, max(revision) from eta_history where preorder_id = any(?) group by preorder_id")
                .param(ids)
                .query((RowCallbackHandler) rs -> latest.put(rs.getObject(1, UUID.class), rs.getInt(2)));
        List<Shown> written = jdbc.sql("""
                        with shown as (
                            insert into eta_history (preorder_id, at, cause, status, revision, old_earliest, old_latest, new_earliest, new_latest)
                            select c.id, :at, c.cause, c.status, c.revision, c.old_earliest, c.old_latest, c.new_earliest, c.new_latest
                            from unnest(cast(:ids as uuid[]), cast(:causes as text[]), cast(:statuses as text[]), cast(:revisions as int[]),
                                        cast(:oldEarliest as date[]), cast(:oldLatest as date[]),
                                        cast(:newEarliest as date[]), cast(:newLatest as date[]))
                                as c(id, cause, status, revision, old_earliest, old_latest, new_earliest, new_latest)
                            returning preorder_id, revision, cause, status, old_earliest, old_latest, new_earliest, new_latest
                        )
                        %s""".formatted(SHOWN))
                .param("at", Timestamp.from(at))
                .param("ids", ids)
                .param("causes", shown.stream().map(change -> change.cause().name()).toArray(String[]::new))
                .param("statuses", shown.stream().map(change -> change.status().name()).toArray(String[]::new))
                .param("revisions", shown.stream().map(change -> latest.getOrDefault(change.preorderId(), 0) + 1).toArray(Integer[]::new))
                .param("oldEarliest", shown.stream().map(change -> change.old() == null ? null : change.old().earliest().toString()).toArray(String[]::new))
                .param("oldLatest", shown.stream().map(change -> change.old() == null ? null : change.old().latest().toString()).toArray(String[]::new))
                .param("newEarliest", shown.stream().map(change -> change.now().earliest().toString()).toArray(String[]::new))
                .param("newLatest", shown.stream().map(change -> change.now().latest().toString()).toArray(String[]::new))
                .query(EtaHistory::shownOf).list();
        published(at, written);
    }

    /**
     * Publishes the changes a statement wrote to {@code eta_history} (through {@link #SHOWN}), each as an EtaChanged
     * in the outbox's one batch at commit, and counts them.
     */
    public void published(Instant at, List<Shown> written) {
        List<Shown> live = written.stream().filter(Shown::live).toList();
        if (publishChanges && !live.isEmpty()) {
            Map<UUID, String> customerIds = customers.customerIdsOf(live.stream().map(Shown::preorderId).toList());
            List<Outbox.Keyed> events = new ArrayList<>(live.size());
            for (Shown change : live) {
                String customerId = customerIds.get(change.preorderId());
                if (customerId == null) {
                    throw new IllegalStateException("preorder %s has an ETA but no customer".formatted(change.preorderId()));
                }
                events.add(new Outbox.Keyed(change.preorderId().toString(), eventOf(at, change, customerId)));
            }
            outbox.recordAll(Topics.ETA_CHANGED, events);
        }
        written.stream().collect(Collectors.groupingBy(Shown::cause, Collectors.counting()))
                .forEach((cause, count) -> meters.counter("su7.orders.eta.changes", "cause", cause.name()).increment(count));
        if (log.isDebugEnabled()) {
            written.forEach(change -> log.debug("ETA of preorder {} {} -> {} {} ({}, revision {})", change.preorderId(), change.old(),
                    change.now(), change.status(), change.cause(), change.revision()));
        }
    }

    public static Shown shownOf(ResultSet rs, int row) throws SQLException {
        LocalDate oldEarliest = rs.getObject("old_earliest", LocalDate.class);
        return new Shown(rs.getObject("preorder_id", UUID.class), rs.getInt("revision"),
                EtaCause.valueOf(rs.getString("cause")), ProjectionStatus.valueOf(rs.getString("status")),
                oldEarliest == null ? null : new Eta(oldEarliest, rs.getObject("old_latest", LocalDate.class)),
                new Eta(rs.getObject("new_earliest", LocalDate.class), rs.getObject("new_latest", LocalDate.class)),
                rs.getBoolean("live"));
    }

    static EtaChanged eventOf(Instant at, Shown change, String customerId) {
        return EtaChanged.newBuilder()
                .setEventId(eventIdOf(change.preorderId(), change.revision()).toString())
                .setOccurredAt(at)
                .setPreorderId(change.preorderId().toString())
                .setCustomerId(customerId)
                .setRevision(change.revision())
                .setPreviousEarliest(change.old() == null ? null : change.old().earliest())
                .setPreviousLatest(change.old() == null ? null : change.old().latest())
                .setEarliest(change.now().earliest())
                .setLatest(change.now().latest())
                .setStatus(PreorderStatus.valueOf(change.status().name()))
                .setDirection(directionOf(change.old(), change.now()))
                .setCause(EtaChangeCause.valueOf(change.cause().name()))
                .build();
    }

    /** The same for the same change, however often it is produced: a preorder's revision is one change. */
    static UUID eventIdOf(UUID preorderId, int revision) {
        return UUID.nameUUIDFromBytes(("EtaChanged:" + preorderId + ":" + revision).getBytes(StandardCharsets.UTF_8));
    }

    /** By the latest date (what the app shows as "arrives by"), by the earliest when the latest stayed. */
    static EtaDirection directionOf(Eta old, Eta now) {
        if (old == null) {
            return EtaDirection.FIRST;
        }
        int moved = now.latest().compareTo(old.latest());
        if (moved == 0) {
            moved = now.earliest().compareTo(old.earliest());
        }
        return moved < 0 ? EtaDirection.EARLIER : moved > 0 ? EtaDirection.LATER : EtaDirection.SAME_DATES;
    }

    /** The histories of many preorders with one statement, each oldest first; a preorder without one is absent. */
    public Map<PreorderId, List<EtaChange>> of(Collection<PreorderId> preorderIds) {
        if (preorderIds.isEmpty()) {
            return Map.of();
        }
        Map<PreorderId, List<EtaChange>> histories = new HashMap<>();
        jdbc.sql("""
                        select preorder_id, revision, at, cause, old_earliest, old_latest, new_earliest, new_latest from eta_history
                        where preorder_id = any(?) order by preorder_id, id""")
                .param(preorderIds.stream().map(PreorderId::value).toArray(UUID[]::new))
                .query((RowCallbackHandler) rs -> histories.computeIfAbsent(new PreorderId(rs.getObject("preorder_id", UUID.class)),
                        id -> new ArrayList<>()).add(changeOf(rs)));
        return histories;
    }

    private static EtaChange changeOf(ResultSet rs) throws SQLException {
        return new EtaChange((Integer) rs.getObject("revision"), rs.getTimestamp("at").toInstant(), EtaCause.valueOf(rs.getString("cause")),
                rs.getObject("old_earliest", LocalDate.class), rs.getObject("old_latest", LocalDate.class),
                rs.getObject("new_earliest", LocalDate.class), rs.getObject("new_latest", LocalDate.class));
    }
}
