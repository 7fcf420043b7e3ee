package com.su7.orders.eta;

import com.su7.contract.DeliveryCities;
import com.su7.contract.FactoryCalendar;
import com.su7.contract.PreorderId;
import com.su7.events.DeliveryScheduled;
import com.su7.events.UnitBuilt;
import com.su7.events.Variant;
import com.su7.messaging.inbox.PermanentEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies the events to the customer-facing ETA of every preorder: estimated while PLACED, the build date plus
 * transit once BUILT, the scheduled date once DELIVERY_SCHEDULED (the highest revision wins). Placements, the
 * listeners and the projection rebuild all come here, a batch at a time, each batch with a fixed number of
 * statements whatever its size. UnitBuilt and DeliveryScheduled are stored as facts and applied by {@link EtaFacts}
 * (which also applies the facts held for a preorder when it is placed); every change goes to {@link EtaHistory};
 * reads are {@link EtaQueries}.
 */
@Component
public class EtaProjection {

    private static final Logger log = LoggerFactory.getLogger(EtaProjection.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final BuildRates rates;
    private final EtaProperties properties;
    private final UnbuiltQueue queue;
    private final EtaHistory history;
    private final EtaFacts facts;
    private final EtaRefresher refresher;

    EtaProjection(JdbcClient jdbc, Clock clock, FactoryCalendar calendar, BuildRates rates,
                  EtaProperties properties, UnbuiltQueue queue, EtaHistory history, EtaFacts facts, EtaRefresher refresher) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.rates = rates;
        this.properties = properties;
        this.queue = queue;
        this.history = history;
        this.facts = facts;
        this.refresher = refresher;
    }

    /** A preorder just placed, for {@link #placedAll}. */
    public record NewPreorder(PreorderId preorderId, Variant variant, String deliveryCity, Instant placedAt) {
    }

    /** Starts the projection of new preorders with their first estimates, then applies the facts held for them. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void placedAll(List<NewPreorder> batch) {
        if (batch.isEmpty()) {
            return;
        }
        UnbuiltQueue.Joined joined = queue.join(batch);
        Instant now = now();
        // The formula is SQL's alone (R__eta_estimate.sql): fed the rate, the band, the horizon, the day places count from and today.
        Map<UUID, Eta> estimates = new HashMap<>();
        jdbc.sql("""
                        insert into preorder_eta (preorder_id, variant, transit_days, placed_at, status, eta_earliest, eta_latest, updated_at)
                        select id, variant, transit_days, placed_at, 'PLACED',
                               estimate_earliest(place, :rate, :band, :horizon, :countedFrom, :today, transit_days),
                               estimate_latest(place, :rate, :band, :horizon, :countedFrom, :today, transit_days), :now
                        from unnest(cast(:ids as uuid[]), cast(:variants as text[]), cast(:transitDays as int[]),
                                    cast(:placedAt as timestamptz[]), cast(:places as bigint[]))
                            as b(id, variant, transit_days, placed_at, place)
                        returning preorder_id, eta_earliest, eta_latest""")
                .param("rate", rates.unitsPerDay())
                .param("band", properties.rateBand())
                .param("horizon", properties.horizonDays())
                .param("countedFrom", rates.placesCountFrom())
                .param("today", calendar.today(clock))
                .param("now", Timestamp.from(now))
                .param("ids", batch.stream().map(preorder -> preorder.preorderId().value()).toArray(UUID[]::new))
                .param("variants", batch.stream().map(preorder -> preorder.variant().name()).toArray(String[]::new))
                .param("transitDays", batch.stream().map(preorder -> DeliveryCities.get(preorder.deliveryCity()).transitDays()).toArray(Integer[]::new))
                .param("placedAt", batch.stream().map(preorder -> preorder.placedAt().toString()).toArray(String[]::new))
                .param("places", batch.stream().map(preorder -> joined.places().get(preorder.preorderId())).toArray(Long[]::new))
                .query((rs, row) -> estimates.put(rs.getObject(1, UUID.class),
                        new Eta(rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class))))
                .list();
        List<EtaHistory.Change> changes = batch.stream()
                .map(preorder -> new EtaHistory.Change(preorder.preorderId().value(), EtaCause.PLACED, null, null,
                        ProjectionStatus.PLACED, estimates.get(preorder.preorderId().value())))
                .toList();
        history.record(now, changes);
        if (joined.movedBack()) {
            // Placed ahead of preorders that came in earlier (an app request with an earlier requestedAt): they move back.
            refresher.markDirty();
        }
        if (facts.applyHeld(estimates.keySet().toArray(UUID[]::new))) {
            refresher.markCancellationsAhead();
        }
    }

    /**
     * Applies UnitBuilt events: each is stored as an observation of the build rate, and its preorder becomes BUILT
     * (or, not placed yet, the unit is held until it is). A batch that names a preorder twice is applied event by
     * event (it would change the same row twice in one statement).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void builtAll(List<UnitBuilt> events) {
        List<UUID> ids = events.stream().map(event -> preorderIdOf(event.getPreorderId())).toList();
        if (new HashSet<>(ids).size() < ids.size()) {
            events.forEach(event -> builtAll(List.of(event)));
            return;
        }
        Map<UUID, Variant> ordered = new HashMap<>();
        jdbc.sql("select preorder_id, variant from preorder_eta where preorder_id = any(?)").param(ids.toArray(UUID[]::new))
                .query((rs, row) -> ordered.put(rs.getObject(1, UUID.class), Variant.valueOf(rs.getString(2)))).list();
        List<EtaFacts.BuiltUnit> units = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            UnitBuilt event = events.get(i);
            Variant variant = ordered.get(ids.get(i));
            if (variant != null && variant != event.getVariant()) {
                throw new PermanentEventException("unit %s was built as a %s but preorder %s is for a %s"
                        .formatted(event.getVin(), event.getVariant(), ids.get(i), variant));
            }
            units.add(new EtaFacts.BuiltUnit(ids.get(i), event.getVin(), event.getVariant(), event.getBuiltAt().truncatedTo(ChronoUnit.MILLIS),
                    event.getReassignedFrom() == null ? null : preorderIdOf(event.getReassignedFrom())));
        }
        Set<UUID> stored = facts.storeBuilt(units);
        for (int i = 0; i < events.size(); i++) {
            UUID id = ids.get(i);
            if (!stored.contains(id)) {
                log.info("preorder {} was already built; UnitBuilt {} (vin {}) changes nothing", id, events.get(i).getEventId(), events.get(i).getVin());
            } else {
                refresher.markDirty();
                if (!ordered.containsKey(id)) {
                    log.info("UnitBuilt {} for preorder {} not known (yet): held until it is placed", events.get(i).getEventId(), id);
                }
            }
        }
        facts.applyBuilt(units.stream().filter(unit -> stored.contains(unit.preorderId())).toList());
    }

    /**
     * Applies DeliveryScheduled events: each is stored (a higher revision replaces a lower one; a lower or equal one
     * is ignored) and applied to its preorder (or held until it is placed). A batch that names a preorder twice (a
     * reschedule right behind its schedule) is applied event by event, so its history keeps both changes.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void scheduledAll(List<DeliveryScheduled> events) {
        List<EtaFacts.Schedule> schedules = events.stream().map(event -> new EtaFacts.Schedule(preorderIdOf(event.getPreorderId()), event.getVin(),
                event.getDeliveryCenter(), event.getDeliveryDate(), event.getRevision())).toList();
        if (schedules.stream().map(EtaFacts.Schedule::preorderId).distinct().count() < schedules.size()) {
            events.forEach(event -> scheduledAll(List.of(event)));
            return;
        }
        Set<UUID> stored = facts.storeSchedules(schedules);
        for (int i = 0; i < events.size(); i++) {
            if (!stored.contains(schedules.get(i).preorderId())) {
                log.info("DeliveryScheduled {} for preorder {} has revision {}, not above the one applied: ignored",
                        events.get(i).getEventId(), schedules.get(i).preorderId(), events.get(i).getRevision());
            }
        }
        facts.applySchedules(schedules.stream().filter(schedule -> stored.contains(schedule.preorderId())).toList());
    }

    /**
     * Cancellations: each preorder becomes CANCELLED (an EtaChanged with cause CANCELLED) and leaves the unbuilt queue,
     * so the preorders behind it are re-estimated at the next refresh (cause CANCELLATION_AHEAD). A preorder cancelled
     * before changes nothing; one not placed yet (a rebuild's replay can read the cancellation first) is held.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void cancelledAll(Map<PreorderId, Instant> cancelledAt) {
        Map<UUID, Instant> byId = new LinkedHashMap<>();
        cancelledAt.forEach((id, at) -> byId.put(id.value(), at));
        List<UUID> stored = List.copyOf(facts.storeCancelled(byId));
        if (facts.applyCancelled(stored) > 0) {
            refresher.markCancellationsAhead();
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static UUID preorderIdOf(String value) {
        try {
            return PreorderId.parse(value).value();
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
    }

}
