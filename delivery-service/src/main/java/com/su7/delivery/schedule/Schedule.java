package com.su7.delivery.schedule;

import com.su7.contract.DeliveryCities;
import com.su7.contract.FactoryCalendar;
import com.su7.contract.PreorderId;
import com.su7.contract.TimeOrderedIds;
import com.su7.contract.Topics;
import com.su7.delivery.center.CapacityRaised;
import com.su7.delivery.center.Center;
import com.su7.delivery.center.Centers;
import com.su7.delivery.support.ScheduleLock;
import com.su7.events.DeliveryScheduled;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.messaging.inbox.Received;
import com.su7.messaging.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The delivery schedule: books each built unit's hand-over once, at its preorder's centre, on the first day at
 * or after build date + transit with a free slot, and publishes DeliveryScheduled through the outbox in the
 * same transaction. A cancelled preorder is never scheduled: its slot, if it had one, is freed for the hand-overs
 * behind it. Every change takes the {@link ScheduleLock} first.
 */
@Service
class Schedule implements CapacityRaised {

    private static final Logger log = LoggerFactory.getLogger(Schedule.class);

    private final ScheduleLock lock;
    private final DeliveryPreorders preorders;
    private final DayLoads dayLoads;
    private final Centers centers;
    private final Outbox outbox;
    private final FactoryCalendar calendar;
    private final Clock clock;
    private final ScheduleProperties properties;
    private final MeterRegistry meters;

    Schedule(ScheduleLock lock, DeliveryPreorders preorders, DayLoads dayLoads, Centers centers, Outbox outbox, FactoryCalendar calendar,
             Clock clock, ScheduleProperties properties, MeterRegistry meters) {
        this.lock = lock;
        this.preorders = preorders;
        this.dayLoads = dayLoads;
        this.centers = centers;
        this.outbox = outbox;
        this.calendar = calendar;
        this.clock = clock;
        this.properties = properties;
        this.meters = meters;
    }

    /**
     * Remembers the preorders' centres, with a few statements: preorders seen for the first time are inserted with
     * one statement; those whose unit was built (and held) already are booked together, centre by centre in the
     * order they came, as one by one would. A replay changes nothing.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void placedAll(List<Received<PreorderPlaced>> events) {
        lock.acquire();
        List<PreorderId> ids = events.stream().map(received -> idOf(received.event().getPreorderId(),
                "PreorderPlaced %s", received.event().getEventId())).toList();
        if (new HashSet<>(ids).size() < ids.size()) {
            // a later event may depend on an earlier one of the same preorder: apply them one at a time
            events.forEach(received -> placedAll(List.of(received)));
            return;
        }
        Map<PreorderId, DeliveryPreorder> known = preorders.findAll(ids);
        Map<String, Center> byKey = centers.all().stream().collect(Collectors.toMap(center -> DeliveryCities.keyOf(center.city()), center -> center));
        LocalDate today = today();
        List<DeliveryPreorders.Awaiting> awaiting = new ArrayList<>();
        List<HandOver<PreorderPlaced>> released = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Received<PreorderPlaced> received = events.get(i);
            PreorderPlaced event = received.event();
            PreorderId id = ids.get(i);
            DeliveryPreorder preorder = known.get(id);
            if (preorder != null && preorder.cancelled()) {
                log.info("preorder {} is cancelled: PreorderPlaced {} schedules nothing", event.getPreorderId(), event.getEventId());
                continue;
            }
            if (preorder != null && preorder.placed()) {
                log.debug("preorder {} is known already; PreorderPlaced {} changes nothing", event.getPreorderId(), event.getEventId());
                continue;
            }
            Center center = centerFor(event, byKey);
            if (preorder == null) {
                awaiting.add(new DeliveryPreorders.Awaiting(id, event.getDeliveryCity(), center.city(),
                        event.getVariant().name(), event.getPlacedAt()));
            } else {
                log.debug("held unit {} of preorder {} released: its preorder arrived", preorder.vin(), preorder.preorderId());
                released.add(new HandOver<>(received, preorder.preorderId(), preorder.vin(), center,
                        center.earliestHandOver(preorder.buildDate(), today)));
            }
        }
        Instant now = now();
        if (!awaiting.isEmpty()) {
            preorders.insertAwaitingAll(awaiting, now);
        }
        book(released, (handOver, day) -> new DeliveryPreorders.HeldBooking(handOver.preorderId(), handOver.event().getDeliveryCity(),
                handOver.center().city(), handOver.event().getPlacedAt(), day), bookings -> preorders.scheduleHeldAll(bookings, now));
    }

    /**
     * Schedules the units' hand-overs, with a few statements: units of preorders awaiting them are booked together,
     * centre by centre in the order they came (as one by one would); units of preorders not known yet are held
     * with one statement until their preorder arrives. A replayed unit changes nothing; a second unit for a
     * preorder is refused. A unit of a cancelled preorder is kept (the build rate counts it), never scheduled.
     * A unit reassigned from a cancelled preorder is scheduled as any other.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void builtAll(List<Received<UnitBuilt>> events) {
        lock.acquire();
        List<PreorderId> ids = new ArrayList<>(events.size());
        for (Received<UnitBuilt> received : events) {
            ids.add(idOf(received.event().getPreorderId(), "UnitBuilt %s", received.event().getEventId()));
            required(received.event().getVin(), "UnitBuilt %s has no VIN", received.event().getEventId());
            if (received.event().getReassignedFrom() != null) {
                idOf(received.event().getReassignedFrom(), "UnitBuilt %s (reassignedFrom)", received.event().getEventId());
            }
        }
        if (new HashSet<>(ids).size() < ids.size()) {
            // a second unit of the same preorder must meet the first: apply them one at a time
            events.forEach(received -> builtAll(List.of(received)));
            return;
        }
        Map<PreorderId, DeliveryPreorder> known = preorders.findAll(ids);
        Map<String, Center> byCity = centers.all().stream().collect(Collectors.toMap(Center::city, center -> center));
        LocalDate today = today();
        List<DeliveryPreorders.Unit> held = new ArrayList<>();
        List<DeliveryPreorders.Unit> ofCancelled = new ArrayList<>();
        List<HandOver<UnitBuilt>> booked = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Received<UnitBuilt> received = events.get(i);
            UnitBuilt event = received.event();
            DeliveryPreorder preorder = known.get(ids.get(i));
            LocalDate buildDate = calendar.dateOf(event.getBuiltAt());
            DeliveryPreorders.Unit unit = new DeliveryPreorders.Unit(ids.get(i), event.getVin(), event.getVariant().name(), event.getBuiltAt(),
                    buildDate, event.getReassignedFrom());
            if (preorder == null) {
                held.add(unit);
                log.debug("unit {} of preorder {} held: its PreorderPlaced has not arrived yet", event.getVin(), event.getPreorderId());
            } else if (preorder.cancelled()) {
                if (!preorder.built()) {
                    ofCancelled.add(unit);
                }
                log.info("preorder {} is cancelled: unit {} (UnitBuilt {}) is not scheduled", preorder.preorderId(), event.getVin(), event.getEventId());
            } else if (preorder.built()) {
                if (!preorder.vin().equals(event.getVin())) {
                    throw new PermanentEventException("preorder %s already has unit %s; a second unit %s cannot be scheduled for it"
                            .formatted(preorder.preorderId(), preorder.vin(), event.getVin()));
                }
                log.debug("unit {} of preorder {} is known already; UnitBuilt {} changes nothing", event.getVin(), preorder.preorderId(), event.getEventId());
            } else {
                Center center = byCity.get(preorder.centerCity());
                booked.add(new HandOver<>(received, preorder.preorderId(), event.getVin(), center, center.earliestHandOver(buildDate, today)));
            }
        }
        Instant now = now();
        if (!held.isEmpty()) {
            preorders.insertHeldAll(held, now);
        }
        if (!ofCancelled.isEmpty()) {
            preorders.keepUnitsOfCancelledAll(ofCancelled, now);
        }
        book(booked, (handOver, day) -> new DeliveryPreorders.Booking(handOver.preorderId(), handOver.vin(), handOver.event().getBuiltAt(),
                calendar.dateOf(handOver.event().getBuiltAt()), handOver.event().getReassignedFrom(), day),
                bookings -> preorders.scheduleAwaitingAll(bookings, now));
    }

    /**
     * Cancels the preorders, with a few statements. A scheduled one's slot is freed and the hand-overs at its centre
     * move earlier as when the centre's capacity is raised ({@link #moveEarlier}), once per centre for the whole
     * batch, in the trace of its last cancellation there. One awaiting its unit, held, or not seen at all is
     * marked cancelled, so none of its later events schedules it. The same cancellation again changes nothing.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void cancelledAll(List<Received<PreorderCancelled>> events) {
        lock.acquire();
        List<PreorderId> ids = events.stream().map(received -> idOf(received.event().getPreorderId(),
                "PreorderCancelled %s", received.event().getEventId())).toList();
        if (new HashSet<>(ids).size() < ids.size()) {
            // a second cancellation of a preorder must meet the first: apply them one at a time
            events.forEach(received -> cancelledAll(List.of(received)));
            return;
        }
        Map<PreorderId, DeliveryPreorder> known = preorders.findAll(ids);
        List<DeliveryPreorders.Cancellation> cancellations = new ArrayList<>();
        Map<String, List<LocalDate>> freedDays = new LinkedHashMap<>();
        Map<String, Received<PreorderCancelled>> lastFreeing = new HashMap<>();
        List<String> stages = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Received<PreorderCancelled> received = events.get(i);
            PreorderCancelled event = received.event();
            DeliveryPreorder preorder = known.get(ids.get(i));
            if (preorder != null && preorder.cancelled()) {
                log.debug("preorder {} is cancelled already; PreorderCancelled {} changes nothing", event.getPreorderId(), event.getEventId());
                continue;
            }
            cancellations.add(new DeliveryPreorders.Cancellation(ids.get(i), event.getVariant().name(), event.getOccurredAt()));
            stages.add(preorder == null ? "UNSEEN" : preorder.status());
            if (preorder != null && preorder.scheduled()) {
                freedDays.computeIfAbsent(preorder.centerCity(), city -> new ArrayList<>()).add(preorder.deliveryDate());
                lastFreeing.put(preorder.centerCity(), received);
                log.info("preorder {} cancelled: its hand-over of unit {} on {} at {} is freed", preorder.preorderId(), preorder.vin(),
                        preorder.deliveryDate(), preorder.centerCity());
            } else {
                log.info("preorder {} cancelled ({}): it will not be scheduled", event.getPreorderId(),
                        preorder == null ? "before any of its events" : preorder.status());
            }
        }
        if (cancellations.isEmpty()) {
            return;
        }
        freedDays.forEach(this::free);
        preorders.cancelAll(cancellations, now());
        freedDays.keySet().forEach(city -> {
            Center center = centers.get(city);
            lastFreeing.get(city).inItsTrace(() -> {
                int moved = moveEarlier(center).size();
                log.info("{} hand-over(s) freed at {} by cancellations: {} later hand-overs moved earlier",
                        freedDays.get(city).size(), center.name(), moved);
            });
        });
        afterCommit(() -> stages.forEach(stage -> meters.counter("su7.delivery.cancelled", "stage", stage).increment()));
    }

    /** Gives up the centre's bookings on these days. */
    private void free(String city, List<LocalDate> days) {
        SlotPlan plan = new SlotPlan(centers.get(city).dailyCapacity(),
                dayLoads.from(city, days.stream().min(LocalDate::compareTo).orElseThrow()));
        days.forEach(plan::release);
        dayLoads.write(city, plan.changedLoads());
    }

    /** A hand-over to book for the event that made it due, on the first free day at the centre from its earliest. */
    private record HandOver<E>(Received<E> received, PreorderId preorderId, String vin, Center center, LocalDate earliest) {

        E event() {
            return received.event();
        }
    }

    /**
     * Books the hand-overs on the first free day from each one's earliest, in the given order, in memory per centre
     * (under the schedule lock nothing else books); then writes the centres' changed loads and the bookings, and
     * publishes each hand-over in its event's trace.
     */
    private <E, B> void book(List<HandOver<E>> handOvers, BiFunction<HandOver<E>, LocalDate, B> booking, Consumer<List<B>> write) {
        if (handOvers.isEmpty()) {
            return;
        }
        Map<String, LocalDate> from = new HashMap<>();
        for (HandOver<E> handOver : handOvers) {
            from.merge(handOver.center().city(), handOver.earliest(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<String, SlotPlan> plans = new HashMap<>();
        List<B> bookings = new ArrayList<>(handOvers.size());
        List<LocalDate> days = new ArrayList<>(handOvers.size());
        for (HandOver<E> handOver : handOvers) {
            Center center = handOver.center();
            SlotPlan plan = plans.computeIfAbsent(center.city(), city -> new SlotPlan(center.dailyCapacity(), dayLoads.from(city, from.get(city))));
            LocalDate day = plan.book(handOver.earliest());
            days.add(day);
            bookings.add(booking.apply(handOver, day));
        }
        plans.forEach((city, plan) -> dayLoads.write(city, plan.changedLoads()));
        write.accept(bookings);
        for (int i = 0; i < handOvers.size(); i++) {
            HandOver<E> handOver = handOvers.get(i);
            LocalDate day = days.get(i);
            handOver.received().inItsTrace(() -> published(handOver.preorderId(), handOver.vin(), handOver.center(), day, 1));
        }
    }


    /** Uses a centre's new slots at once ({@link #moveEarlier}). */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Integer> capacityRaised(Center center, int previousCapacity) {
        lock.acquire();
        return moveEarlier(center);
    }

    /**
     * Uses a centre's free slots (raised capacity, a cancelled hand-over): its hand-overs after today, first come
     * first (by date, then by when the preorder was placed), each take the first free day from their own earliest
     * day. One whose day gets strictly earlier is moved with the next revision; the others keep their day and
     * revision. Units dated today are being handed over and stay. Under the schedule lock.
     *
     * @return by how many days each hand-over that moved earlier moved
     */
    private List<Integer> moveEarlier(Center center) {
        LocalDate today = today();
        List<DeliveryPreorder> booked = preorders.scheduledAfter(center.city(), today);
        if (booked.isEmpty()) {
            return List.of();
        }
        SlotPlan plan = new SlotPlan(center.dailyCapacity(), dayLoads.from(center.city(), today));
        List<DeliveryPreorders.Move> moves = new ArrayList<>();
        List<DeliveryPreorder> moved = new ArrayList<>();
        for (DeliveryPreorder preorder : booked) {
            LocalDate day = plan.rebook(preorder.deliveryDate(), center.earliestHandOver(preorder.buildDate(), today));
            if (day.isBefore(preorder.deliveryDate())) {
                moves.add(new DeliveryPreorders.Move(preorder.preorderId(), day, preorder.revision()));
                moved.add(preorder);
            }
        }
        if (moves.isEmpty()) {
            return List.of();
        }
        preorders.move(moves, now());
        dayLoads.write(center.city(), plan.changedLoads());
        List<Integer> daysEarlier = new ArrayList<>(moves.size());
        for (int i = 0; i < moves.size(); i++) {
            DeliveryPreorder preorder = moved.get(i);
            LocalDate day = moves.get(i).deliveryDate();
            published(preorder.preorderId(), preorder.vin(), center, day, preorder.revision() + 1);
            daysEarlier.add((int) ChronoUnit.DAYS.between(day, preorder.deliveryDate()));
        }
        return daysEarlier;
    }

    private void published(PreorderId preorderId, String vin, Center center, LocalDate day, int revision) {
        outbox.record(Topics.DELIVERY_SCHEDULED, preorderId.toString(), DeliveryScheduled.newBuilder()
                .setEventId(TimeOrderedIds.next().toString())
                .setOccurredAt(now())
                .setPreorderId(preorderId.toString())
                .setVin(vin)
                .setDeliveryCenter(center.name())
                .setDeliveryDate(day)
                .setRevision(revision)
                .build());
        afterCommit(() -> meters.counter(revision == 1 ? "su7.delivery.scheduled" : "su7.delivery.rescheduled", "center", center.city())
                .increment());
        if (revision == 1) {
            log.debug("hand-over of unit {} (preorder {}) scheduled at {} on {}", vin, preorderId, center.name(), day);
        }
    }

    /** The centre serving the event's city ({@code byKey}: the centres by {@link DeliveryCities#keyOf}), or the fallback one. */
    private Center centerFor(PreorderPlaced event, Map<String, Center> byKey) {
        Center serving = byKey.get(DeliveryCities.keyOf(event.getDeliveryCity()));
        if (serving != null) {
            return serving;
        }
        if (!properties.routesUnknownCities()) {
            throw new PermanentEventException("no delivery centre serves '%s' (preorder %s) and no fallback centre is configured"
                    .formatted(event.getDeliveryCity(), event.getPreorderId()));
        }
        Center fallback = byKey.get(DeliveryCities.keyOf(properties.fallbackCity()));
        if (fallback == null) {
            throw new IllegalStateException("su7.delivery.schedule.fallback-city names %s, which no delivery centre serves"
                    .formatted(properties.fallbackCity()));
        }
        log.warn("no delivery centre serves '{}' (preorder {}): routed to {}", event.getDeliveryCity(), event.getPreorderId(), fallback.name());
        afterCommit(() -> meters.counter("su7.delivery.rerouted", "center", fallback.city()).increment());
        return fallback;
    }

    /** The event's preorder id; an event without a valid one can never be applied. */
    private static PreorderId idOf(String preorderId, String event, Object eventId) {
        try {
            return PreorderId.parse(preorderId);
        } catch (IllegalArgumentException e) {
            throw new PermanentEventException(event.formatted(eventId) + ": " + e.getMessage(), e);
        }
    }

    private static String required(String value, String problem, Object... arguments) {
        if (value == null || value.isBlank()) {
            throw new PermanentEventException(problem.formatted(arguments));
        }
        return value;
    }

    /** Counts only what was committed: a batch rolled back and applied again is not counted twice. */
    private static void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    private LocalDate today() {
        return calendar.today(clock);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
