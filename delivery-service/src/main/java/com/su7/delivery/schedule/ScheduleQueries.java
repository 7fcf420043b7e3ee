package com.su7.delivery.schedule;

import com.su7.contract.PreorderId;
import com.su7.messaging.count.KeptCounts;
import com.su7.messaging.inbox.EventInbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What the schedule tells the other features (the outlook): the schedule's tables are read here, nowhere else outside it. */
@Component
public class ScheduleQueries {

    private final JdbcClient jdbc;
    private final DayLoads dayLoads;
    private final EventInbox inbox;

    ScheduleQueries(JdbcClient jdbc, DayLoads dayLoads, EventInbox inbox, KeptCounts counts) {
        this.jdbc = jdbc;
        this.dayLoads = dayLoads;
        this.inbox = inbox;
        // The preorders awaiting their unit per centre: deltas the triggers of V7__awaiting_counted_from_deltas.sql write
        // with every change, summed inside backlogs' statement. Declared so that messaging folds them into a row per centre.
        counts.perKey("delivery_awaiting_delta", "center_city");
    }

    /**
     * One preorder as the schedule has it; {@code status} is AWAITING_UNIT, HELD, SCHEDULED or CANCELLED (then
     * {@code cancelledAt} is set, and no hand-over is booked for it).
     */
    public record ScheduledPreorder(PreorderId preorderId, String status, String requestedCity, String centerCity, Instant placedAt,
                                    String vin, LocalDate buildDate, LocalDate deliveryDate, int revision, Instant cancelledAt) {
    }

    /** Per centre: preorders waiting for their unit, and hand-overs booked from a day on. */
    public record Backlog(long awaitingUnits, long scheduledAhead) {
    }

    public Optional<ScheduledPreorder> preorder(PreorderId preorderId) {
        return jdbc.sql("""
                        select preorder_id, status, requested_city, center_city, placed_at, vin, build_date, delivery_date, revision,
                               cancelled_at
                        from delivery_preorder where preorder_id = ?""")
                .param(preorderId.toString())
                .query((rs, n) -> new ScheduledPreorder(PreorderId.parse(rs.getString("preorder_id")), rs.getString("status"),
                        rs.getString("requested_city"), rs.getString("center_city"), instant(rs.getTimestamp("placed_at")),
                        rs.getString("vin"), rs.getObject("build_date", LocalDate.class), rs.getObject("delivery_date", LocalDate.class),
                        rs.getInt("revision"), instant(rs.getTimestamp("cancelled_at"))))
                .optional();
    }

    /** Preorders awaiting their unit that were placed before this one (the FIFO queue ahead of it), at every centre. */
    public long awaitingAhead(Instant placedAt, PreorderId preorderId) {
        return jdbc.sql("""
                        select count(*) from delivery_preorder
                        where status = 'AWAITING_UNIT' and (placed_at, preorder_id) < (?, ?)""")
                .params(Timestamp.from(placedAt), preorderId.toString()).query(Long.class).single();
    }

    /** Preorders awaiting their unit that were placed before this one and go to the same centre. */
    public long awaitingAheadAt(String centerCity, Instant placedAt, PreorderId preorderId) {
        return jdbc.sql("""
                        select count(*) from delivery_preorder
                        where status = 'AWAITING_UNIT' and center_city = ? and (placed_at, preorder_id) < (?, ?)""")
                .params(centerCity, Timestamp.from(placedAt), preorderId.toString()).query(Long.class).single();
    }

    /**
     * Units built from {@code from} on, before {@code before} (ObservedBuildRate's window). A unit reassigned from a cancelled preorder
     * is no new build: it counts once, on the row of the preorder it was built for.
     */
    public long unitsBuilt(Instant from, Instant before) {
        return jdbc.sql("select count(*) from delivery_preorder where built_at >= ? and built_at < ? and reassigned_from is null")
                .params(Timestamp.from(from), Timestamp.from(before)).query(Long.class).single();
    }

    /**
     * When the first unit the schedule knows of was built (reassigned ones aside), and the time up to which every
     * partition of UnitBuilt has been read (as its listener notes it; the latest build, before it noted any); both null
     * before any.
     */
    public record Builds(Instant first, Instant everyPartitionReadUpTo) {
    }

    public Builds builds() {
        Builds known = jdbc.sql("select min(built_at), max(built_at) from delivery_preorder where reassigned_from is null")
                .query((rs, n) -> new Builds(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2)))).single();
        return inbox.everyPartitionReadUpTo(UnitBuiltListener.CONSUMER)
                .map(readUpTo -> new Builds(known.first(), readUpTo))
                .orElse(known);
    }

    /** The centre's hand-overs booked per day from {@code from} on. */
    public Map<LocalDate, Integer> loads(String city, LocalDate from) {
        return dayLoads.from(city, from);
    }

    /** Every centre's hand-overs booked per day, by city, from {@code from} until (excluding) {@code until}. */
    public Map<String, Map<LocalDate, Integer>> loads(LocalDate from, LocalDate until) {
        Map<String, Map<LocalDate, Integer>> loads = new HashMap<>();
        jdbc.sql("select city, day, load from center_day_load where day >= ? and day < ?")
                .params(Date.valueOf(from), Date.valueOf(until))
                .query(rs -> {
                    loads.computeIfAbsent(rs.getString("city"), city -> new HashMap<>())
                            .put(rs.getObject("day", LocalDate.class), rs.getInt("load"));
                });
        return loads;
    }

    /** Per centre city: preorders waiting for their unit, and hand-overs booked from {@code today} on. */
    public Map<String, Backlog> backlogs(LocalDate today) {
        Map<String, Backlog> backlogs = new HashMap<>();
        // Neither figure counts preorders, so neither grows with the backlog nor with the history: the awaiting ones are
        // the sum of the deltas triggers keep (delivery_awaiting_delta), the booked ones the centres' day loads from today on.
        jdbc.sql("""
                        select center_city, sum(awaiting) as awaiting, sum(ahead) as ahead from (
                            select center_city, sum(delta) as awaiting, 0 as ahead from delivery_awaiting_delta
                            group by center_city
                            union all
                            select city, 0, sum(load) from center_day_load where day >= ? group by city) as counts
                        group by center_city""")
                .param(Date.valueOf(today))
                .query(rs -> {
                    backlogs.put(rs.getString("center_city"), new Backlog(rs.getLong("awaiting"), rs.getLong("ahead")));
                });
        return backlogs;
    }

    /** Built units held until their PreorderPlaced arrives. */
    public long heldUnits() {
        return jdbc.sql("select count(*) from delivery_preorder where status = 'HELD'").query(Long.class).single();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
