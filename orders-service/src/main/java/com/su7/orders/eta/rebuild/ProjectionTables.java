package com.su7.orders.eta.rebuild;

import com.su7.orders.eta.EtaHistory;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The ETA projection's tables and the schemas a rebuild moves them between: the live ones in the service's own
 * schema, the fresh copies in {@value #REBUILD} while they are replayed, and the replaced ones in {@value #RETIRED}
 * (kept until the next rebuild, to compare or to move back by hand).
 * <p>
 * The copies are made with {@code like … including all} from the live tables, so they follow every migration,
 * and keep the live index and foreign-key names, so later migrations can name them, and the live triggers. {@code eta_history} is not
 * swapped: it is what customers were shown, which no topic holds; the replay writes its own history into the
 * copy, which is dropped, and the switch adds a REBUILT row for each date that changed. Nor is the inbox's
 * {@code processed_event}, which every consumer of the service shares: the replay records in a copy of it which
 * events the copies applied, and the switch makes the live table agree with that for the projection's consumers
 * ({@link #adoptProcessedEvents}).
 */
final class ProjectionTables {

    static final String REBUILD = "eta_rebuild";
    static final String RETIRED = "eta_retired";
    static final List<String> SWAPPED = List.of("preorder_eta", "unit_built", "delivery_schedule", "preorder_cancelled", "eta_queue_delta",
            "preorder_status_delta");
    static final String HISTORY = "eta_history";
    static final String CONSUMED = "processed_event";

    /**
     * What must agree between two copies of a preorder's projection (an estimate is time-dependent: compared apart; a
     * cancelled preorder shows no date).
     */
    private static final String SETTLED_STATE = """
            select preorder_id, variant, transit_days, placed_at, status, vin, built_at, delivery_center, schedule_revision,
                   case when status not in ('PLACED', 'CANCELLED') then eta_earliest end as eta_earliest,
                   case when status not in ('PLACED', 'CANCELLED') then eta_latest end as eta_latest
            from %s.preorder_eta""";

    private final JdbcClient jdbc;
    private final String live;

    ProjectionTables(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.live = jdbc.sql("select current_schema()").query(String.class).single();
    }

    /** The statement that makes a transaction read and write the copies (and everything else where it lives). */
    String useTheCopies() {
        return "set local search_path to %s, %s".formatted(REBUILD, live);
    }

    /** Drops what an earlier rebuild left and creates empty copies of the projection's tables. */
    void createEmptyCopies() {
        jdbc.sql("drop schema if exists %s cascade".formatted(REBUILD)).update();
        jdbc.sql("drop schema if exists %s cascade".formatted(RETIRED)).update();
        jdbc.sql("create schema %s".formatted(REBUILD)).update();
        List<String> copied = new ArrayList<>(SWAPPED);
        copied.add(HISTORY);
        copied.add(CONSUMED);
        for (String table : copied) {
            jdbc.sql("create table %s.%s (like %s.%s including all)".formatted(REBUILD, table, live, table)).update();
            keepIndexNames(table);
            copyForeignKeys(table);
            copyTriggers(table);
        }
    }

    /** {@code like} names the copied indexes after their columns: give each the name of its live twin. */
    private void keepIndexNames(String table) {
        Map<String, String> liveNames = indexes(live, table).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey, (a, b) -> a));
        indexes(REBUILD, table).forEach((name, definition) -> {
            String liveName = liveNames.get(definition);
            if (liveName != null && !liveName.equals(name)) {
                jdbc.sql("alter index %s.%s rename to %s".formatted(REBUILD, name, liveName)).update();
            }
        });
    }

    /** The table's indexes, name → definition with the name and schema left out (so twins compare equal). */
    private Map<String, String> indexes(String schema, String table) {
        return jdbc.sql("select indexname, indexdef from pg_indexes where schemaname = ? and tablename = ?")
                .params(schema, table)
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2)
                        .replace(" INDEX " + rs.getString(1) + " ON " + schema + ".", " INDEX ON ")))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private void copyForeignKeys(String table) {
        jdbc.sql("""
                        select conname, pg_get_constraintdef(oid) from pg_constraint
                        where conrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass and contype = 'f'""")
                .params(live, table)
                .query((rs, row) -> "alter table %s.%s add constraint %s %s".formatted(REBUILD, table, rs.getString(1), rs.getString(2)))
                .list()
                .forEach(statement -> jdbc.sql(statement).update());
    }

    /** {@code like} copies no triggers: the copy gets the live table's (the status counts of preorder_eta). */
    private void copyTriggers(String table) {
        jdbc.sql("""
                        select pg_get_triggerdef(oid) from pg_trigger
                        where tgrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass and not tgisinternal""")
                .params(live, table)
                .query(String.class)
                .list()
                .forEach(definition -> jdbc.sql(definition.replaceFirst(" ON (\\S+\\.)?" + table + " ", " ON %s.%s ".formatted(REBUILD, table))).update());
    }

    /**
     * Blocks every write to the live tables until the transaction ends (reads go on), and gives up after the
     * timeout instead of queueing behind a long transaction forever.
     */
    void blockWritesToLive(int lockTimeoutSeconds) {
        jdbc.sql("set local lock_timeout = '%ds'".formatted(lockTimeoutSeconds)).update();
        jdbc.sql("lock table %s in share row exclusive mode".formatted(qualified(live, SWAPPED) + ", " + live + "." + HISTORY)).update();
    }

    /**
     * Events written by committed placements that Kafka does not have yet and will get without ops (a row set aside
     * waits for them), including rows release v0.1.0 left.
     */
    long unpublishedEvents(String topic) {
        return jdbc.sql("""
                        select (select count(*) from outbox_message where topic = :topic and set_aside_at is null)
                             + (select count(*) from outbox_event where topic = :topic)""")
                .param("topic", topic).query(Long.class).single();
    }

    /** Whether the live projection holds the preorder. */
    boolean liveHolds(UUID preorderId) {
        return jdbc.sql("select exists (select 1 from %s.preorder_eta where preorder_id = ?)".formatted(live))
                .param(preorderId).query(Boolean.class).single();
    }

    /**
     * Records the events as processed by their consumers in the copy of {@code processed_event}, as the inbox does
     * in the live one, at the time each was recorded on its topic (so the inbox's clean-up ages them as it would
     * have); returns those not recorded before: only those may be applied.
     */
    Set<Consumed> markNew(Map<Consumed, Instant> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        List<Consumed> consumed = List.copyOf(events.keySet());
        return new HashSet<>(jdbc.sql("""
                        insert into %s.processed_event (consumer, event_id, processed_at)
                        select * from unnest(cast(? as text[]), cast(? as text[]), cast(? as timestamptz[]))
                        on conflict do nothing
                        returning consumer, event_id""".formatted(REBUILD))
                .params(consumed.stream().map(Consumed::consumer).toArray(String[]::new),
                        consumed.stream().map(Consumed::eventId).toArray(String[]::new),
                        consumed.stream().map(event -> events.get(event).toString()).toArray(String[]::new))
                .query((rs, row) -> new Consumed(rs.getString(1), rs.getString(2)))
                .list());
    }

    /**
     * Makes the live {@code processed_event} of the consumers say what the copies applied. An event the live tables
     * applied beyond the offset its consumer group committed (a crash between the two commits) is not in the
     * copies: forgetting it lets its redelivery apply it to the new tables instead of being taken for a duplicate.
     * An event the copies applied that the live tables did not (dead-lettered or held there) is remembered, within
     * the deduplication window, so a redrive finds it applied. Returns how many rows were forgotten and added.
     */
    int adoptProcessedEvents(Collection<String> consumers, Duration deduplicationWindow) {
        String[] names = consumers.toArray(String[]::new);
        int forgotten = jdbc.sql("""
                        delete from %1$s.processed_event l
                        where l.consumer = any(?)
                          and not exists (select 1 from %2$s.processed_event r where r.consumer = l.consumer and r.event_id = l.event_id)"""
                        .formatted(live, REBUILD))
                .param(names).update();
        int added = jdbc.sql("""
                        insert into %1$s.processed_event (consumer, event_id, processed_at)
                        select consumer, event_id, processed_at from %2$s.processed_event
                        where consumer = any(?) and processed_at > now() - cast(? as interval)
                        on conflict do nothing""".formatted(live, REBUILD))
                .params(names, "%d seconds".formatted(deduplicationWindow.toSeconds())).update();
        return forgotten + added;
    }

    /** Where the copies differ from the live tables. */
    Comparison compare(int sampleSize) {
        String differing = """
                (select preorder_id from (%1$s except %2$s) a union select preorder_id from (%2$s except %1$s) b)"""
                .formatted(SETTLED_STATE.formatted(live), SETTLED_STATE.formatted(REBUILD));
        List<String> sample = jdbc.sql("select preorder_id::text from %s d order by 1 limit %d".formatted(differing, sampleSize))
                .query(String.class).list();
        String missing = "select preorder_id from %s.preorder_eta l where not exists (select 1 from %s.preorder_eta r where r.preorder_id = l.preorder_id)"
                .formatted(live, REBUILD);
        return new Comparison(
                count("select count(*) from %s.preorder_eta".formatted(live)),
                count("select count(*) from %s.preorder_eta".formatted(REBUILD)),
                count("select count(*) from (%s) m".formatted(missing)),
                jdbc.sql("select preorder_id::text from (%s) m order by 1 limit %d".formatted(missing, sampleSize)).query(String.class).list(),
                count("select count(*) from %s d".formatted(differing)),
                count(differences("unit_built")),
                count(differences("delivery_schedule")),
                count("""
                        select count(*) from %s.preorder_eta r join %s.preorder_eta l using (preorder_id)
                        where r.status = 'PLACED' and l.status = 'PLACED'
                          and (r.eta_earliest, r.eta_latest) is distinct from (l.eta_earliest, l.eta_latest)"""
                        .formatted(REBUILD, live)),
                sample);
    }

    private String differences(String table) {
        return "select count(*) from ((table %1$s.%3$s except table %2$s.%3$s) union all (table %2$s.%3$s except table %1$s.%3$s)) d"
                .formatted(live, REBUILD, table);
    }

    /**
     * Records, in the history customers see, every date or status the rebuilt projection shows differently, each as the
     * preorder's next revision (cause REBUILT); returns them, for their EtaChanged.
     */
    List<EtaHistory.Shown> recordChangedDates(Instant at) {
        return jdbc.sql("""
                        with %3$s, shown as (
                            insert into %1$s.eta_history (preorder_id, at, cause, status, revision, old_earliest, old_latest, new_earliest, new_latest)
                            select r.preorder_id, ?, 'REBUILT', r.status, coalesce(latest.revision, 0) + 1, l.eta_earliest, l.eta_latest,
                                   r.eta_earliest, r.eta_latest
                            from %2$s.preorder_eta r left join %1$s.preorder_eta l using (preorder_id)
                                 left join latest on latest.preorder_id = r.preorder_id
                            -- a cancelled preorder shows no date: only its status counts
                            where l.status is distinct from r.status
                               or (r.status <> 'CANCELLED' and (l.eta_earliest, l.eta_latest) is distinct from (r.eta_earliest, r.eta_latest))
                            returning preorder_id, revision, cause, status, old_earliest, old_latest, new_earliest, new_latest
                        )
                        %4$s"""
                        .formatted(live, REBUILD, EtaHistory.LATEST_REVISIONS.formatted(live + ".eta_history",
                                "array(select preorder_id from %s.preorder_eta)".formatted(REBUILD)), EtaHistory.SHOWN))
                .param(Timestamp.from(at)).query(EtaHistory::shownOf).list();
    }

    /** Retires the live tables and puts the copies in their place; statements waiting on them then use the copies. */
    void switchToTheCopies() {
        jdbc.sql("create schema %s".formatted(RETIRED)).update();
        for (String table : SWAPPED) {
            jdbc.sql("alter table %s.%s set schema %s".formatted(live, table, RETIRED)).update();
        }
        for (String table : SWAPPED) {
            jdbc.sql("alter table %s.%s set schema %s".formatted(REBUILD, table, live)).update();
        }
        jdbc.sql("drop schema %s cascade".formatted(REBUILD)).update();
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private static String qualified(String schema, List<String> tables) {
        return tables.stream().map(table -> schema + "." + table).collect(Collectors.joining(", "));
    }

    /** An event as one of the inbox's consumers knows it. */
    record Consumed(String consumer, String eventId) {
    }

    /**
     * How the rebuilt projection compares with the live one: live preorders the rebuilt one lacks (their
     * PreorderPlaced is not on the topic: a switch would make them vanish), preorders whose settled state (status,
     * VIN, build, centre, revision, and the date once built or scheduled) differs, facts that differ, and estimates of
     * unbuilt preorders that came out differently (expected: an estimate depends on when it was made).
     */
    record Comparison(long livePreorders, long rebuiltPreorders, long livePreordersMissing, List<String> sampleLivePreordersMissing,
                      long preordersDiffering, long unitsBuiltDiffering, long schedulesDiffering, long estimatesRecomputed,
                      List<String> samplePreordersDiffering) {
    }
}
