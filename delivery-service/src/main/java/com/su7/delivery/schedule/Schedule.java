package com.su7.delivery.schedule;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.Topics;
import com.su7.delivery.center.CapacityRaised;
import com.su7.delivery.center.Center;
import com.su7.delivery.center.Centers;
import com.su7.delivery.support.ScheduleLock;
import com.su7.events.DeliveryScheduled;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The delivery schedule: books each built unit's hand-over once, at its preorder's centre, on the first day at
 * or after build date + transit with a free slot, and publishes DeliveryScheduled through the outbox in the
 * same transaction. Every change takes the {@link ScheduleLock} first.
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

    /** Remembers the preorder's centre; schedules its unit at once if that was built (and held) already. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void placed(PreorderPlaced event) {
        String preorderId = required(event.getPreorderId(), "PreorderPlaced %s has no preorderId", event.getEventId());
        lock.acquire();
        var known = preorders.find(preorderId);
        if (known.isPresent() && known.get().placed()) {
            log.debug("preorder {} is known already; PreorderPlaced {} changes nothing", preorderId, event.getEventId());
            return;
        }
        Center center = centerFor(event);
        if (known.isEmpty()) {
            preorders.insertAwaiting(preorderId, event.getDeliveryCity(), center.city(), event.getVariant().name(),
                    event.getPlacedAt(), now());
            return;
        }
        DeliveryPreorder preorder = known.get();
        LocalDate day = dayLoads.bookFirstFree(center, center.earliestHandOver(preorder.buildDate(), today()));
        preorders.scheduleHeld(preorderId, event.getDeliveryCity(), center.city(), event.getPlacedAt(), day, now());
        log.info("held unit {} of preorder {} released: its preorder arrived", preorder.vin(), preorderId);
        published(preorderId, preorder.vin(), center, day, 1);
    }

    /** Schedules the unit's hand-over, or holds the unit until its preorder arrives. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void built(UnitBuilt event) {
        String preorderId = required(event.getPreorderId(), "UnitBuilt %s has no preorderId", event.getEventId());
        required(event.getVin(), "UnitBuilt %s has no VIN", event.getEventId());
        LocalDate buildDate = calendar.dateOf(event.getBuiltAt());
        lock.acquire();
        var known = preorders.find(preorderId);
        if (known.isEmpty()) {
            preorders.insertHeld(preorderId, event.getVin(), event.getVariant().name(), event.getBuiltAt(), buildDate, now());
            log.info("unit {} of preorder {} held: its PreorderPlaced has not arrived yet", event.getVin(), preorderId);
            return;
        }
        DeliveryPreorder preorder = known.get();
        if (preorder.built()) {
            if (preorder.vin().equals(event.getVin())) {
                log.debug("unit {} of preorder {} is known already; UnitBuilt {} changes nothing", event.getVin(), preorderId, event.getEventId());
                return;
            }
            throw new PermanentEventException("preorder %s already has unit %s; a second unit %s cannot be scheduled for it"
                    .formatted(preorderId, preorder.vin(), event.getVin()));
        }
        Center center = centers.get(preorder.centerCity());
        LocalDate day = dayLoads.bookFirstFree(center, center.earliestHandOver(buildDate, today()));
        preorders.scheduleAwaiting(preorderId, event.getVin(), event.getBuiltAt(), buildDate, day, now());
        published(preorderId, event.getVin(), center, day, 1);
    }

    /**
     * {@link #placed} for a batch, with a few statements: preorders seen for the first time are inserted with one
     * JDBC batch; those whose unit was built (and held) already are booked together, centre by centre in the
     * order they came, as one by one would. A replay changes nothing.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void placedAll(List<Received<PreorderPlaced>> events) {
        lock.acquire();
        List<String> ids = events.stream().map(received -> required(received.event().getPreorderId(),
                "PreorderPlaced %s has no preorderId", received.event().getEventId())).toList();
        if (new HashSet<>(ids).size() < ids.size()) {
            events.forEach(received -> received.inItsCorrelation(() -> placed(received.event())));
            return;
        }
        Map<String, DeliveryPreorder> known = preorders.findAll(ids);
        Map<String, Center> byKey = centers.all().stream().collect(Collectors.toMap(center -> Center.keyOf(center.city()), center -> center));
        LocalDate today = today();
        List<DeliveryPreorders.Awaiting> awaiting = new ArrayList<>();
        List<Received<PreorderPlaced>> released = new ArrayList<>();
        List<Center> releasedAt = new ArrayList<>();
        List<LocalDate> earliest = new ArrayList<>();
        for (Received<PreorderPlaced> received : events) {
            PreorderPlaced event = received.event();
            DeliveryPreorder preorder = known.get(event.getPreorderId());
            if (preorder != null && preorder.placed()) {
                log.debug("preorder {} is known already; PreorderPlaced {} changes nothing", event.getPreorderId(), event.getEventId());
                continue;
            }
            Center center = centerFor(event, city -> Optional.ofNullable(byKey.get(Center.keyOf(city))));
            if (preorder == null) {
                awaiting.add(new DeliveryPreorders.Awaiting(event.getPreorderId(), event.getDeliveryCity(), center.city(),
                        event.getVariant().name(), event.getPlacedAt()));
            } else {
                released.add(received);
                releasedAt.add(center);
                earliest.add(center.earliestHandOver(preorder.buildDate(), today));
            }
        }
        if (!awaiting.isEmpty()) {
            preorders.insertAwaitingAll(awaiting, now());
        }
        if (released.isEmpty()) {
            return;
        }
        List<LocalDate> days = bookAll(releasedAt, earliest);
        List<DeliveryPreorders.HeldBooking> bookings = new ArrayList<>(released.size());
        for (int i = 0; i < released.size(); i++) {
            PreorderPlaced event = released.get(i).event();
            bookings.add(new DeliveryPreorders.HeldBooking(event.getPreorderId(), event.getDeliveryCity(), releasedAt.get(i).city(),
                    event.getPlacedAt(), days.get(i)));
        }
        preorders.scheduleHeldAll(bookings, now());
        for (int i = 0; i < released.size(); i++) {
            DeliveryPreorder preorder = known.get(bookings.get(i).preorderId());
            Center center = releasedAt.get(i);
            LocalDate day = days.get(i);
            log.debug("held unit {} of preorder {} released: its preorder arrived", preorder.vin(), preorder.preorderId());
            released.get(i).inItsCorrelation(() -> published(preorder.preorderId(), preorder.vin(), center, day, 1));
        }
    }

    /**
     * {@link #built} for a batch, with a few statements: units of preorders awaiting them are booked together,
     * centre by centre in the order they came (as one by one would); units of preorders not known yet are held
     * with one JDBC batch; a unit seen before (a replay, or a second unit) takes the one-by-one path.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void builtAll(List<Received<UnitBuilt>> events) {
        lock.acquire();
        List<String> ids = new ArrayList<>(events.size());
        for (Received<UnitBuilt> received : events) {
            ids.add(required(received.event().getPreorderId(), "UnitBuilt %s has no preorderId", received.event().getEventId()));
            required(received.event().getVin(), "UnitBuilt %s has no VIN", received.event().getEventId());
        }
        if (new HashSet<>(ids).size() < ids.size()) {
            events.forEach(received -> received.inItsCorrelation(() -> built(received.event())));
            return;
        }
        Map<String, DeliveryPreorder> known = preorders.findAll(ids);
        Map<String, Center> byCity = centers.all().stream().collect(Collectors.toMap(Center::city, center -> center));
        LocalDate today = today();
        Instant now = now();
        List<DeliveryPreorders.HeldUnit> held = new ArrayList<>();
        List<Received<UnitBuilt>> booked = new ArrayList<>();
        List<Center> bookedAt = new ArrayList<>();
        List<LocalDate> earliest = new ArrayList<>();
        for (Received<UnitBuilt> received : events) {
            UnitBuilt event = received.event();
            DeliveryPreorder preorder = known.get(event.getPreorderId());
            LocalDate buildDate = calendar.dateOf(event.getBuiltAt());
            if (preorder == null) {
                held.add(new DeliveryPreorders.HeldUnit(event.getPreorderId(), event.getVin(), event.getVariant().name(), event.getBuiltAt(), buildDate));
                log.debug("unit {} of preorder {} held: its PreorderPlaced has not arrived yet", event.getVin(), event.getPreorderId());
            } else if (preorder.built()) {
                received.inItsCorrelation(() -> built(event));
            } else {
                Center center = byCity.get(preorder.centerCity());
                booked.add(received);
                bookedAt.add(center);
                earliest.add(center.earliestHandOver(buildDate, today));
            }
        }
        if (!held.isEmpty()) {
            preorders.insertHeldAll(held, now);
        }
        if (booked.isEmpty()) {
            return;
        }
        List<LocalDate> days = bookAll(bookedAt, earliest);
        List<DeliveryPreorders.Booking> bookings = new ArrayList<>(booked.size());
        for (int i = 0; i < booked.size(); i++) {
            UnitBuilt event = booked.get(i).event();
            bookings.add(new DeliveryPreorders.Booking(event.getPreorderId(), event.getVin(), event.getBuiltAt(),
                    calendar.dateOf(event.getBuiltAt()), days.get(i)));
        }
        preorders.scheduleAwaitingAll(bookings, now);
        for (int i = 0; i < booked.size(); i++) {
            DeliveryPreorders.Booking booking = bookings.get(i);
            Center center = bookedAt.get(i);
            booked.get(i).inItsCorrelation(() -> published(booking.preorderId(), booking.vin(), center, booking.deliveryDate(), 1));
        }
    }

    /**
     * Books each hand-over on the first free day from its earliest, in the given order, in memory per centre
     * (under the schedule lock nothing else books), then writes the centres' changed loads.
     */
    private List<LocalDate> bookAll(List<Center> at, List<LocalDate> earliest) {
        Map<String, LocalDate> from = new HashMap<>();
        for (int i = 0; i < at.size(); i++) {
            from.merge(at.get(i).city(), earliest.get(i), (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<String, SlotPlan> plans = new HashMap<>();
        for (Center center : at) {
            plans.computeIfAbsent(center.city(), city -> new SlotPlan(center.dailyCapacity(), dayLoads.from(city, from.get(city))));
        }
        List<LocalDate> days = new ArrayList<>(at.size());
        for (int i = 0; i < at.size(); i++) {
            days.add(plans.get(at.get(i).city()).book(earliest.get(i)));
        }
        plans.forEach((city, plan) -> dayLoads.write(city, plan.changedLoads()));
        return days;
    }

    /**
     * Uses a centre's new slots at once: its hand-overs after today, first come first (by date, then by when the
     * preorder was placed), each take the first free day from their own earliest day. One whose day gets
     * strictly earlier is moved with the next revision; the others keep their day and revision. Units dated
     * today are being handed over and stay.
     */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public int capacityRaised(Center center, int previousCapacity) {
        lock.acquire();
        LocalDate today = today();
        List<DeliveryPreorder> booked = preorders.scheduledAfter(center.city(), today);
        if (booked.isEmpty()) {
            return 0;
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
            return 0;
        }
        preorders.move(moves, now());
        dayLoads.write(center.city(), plan.changedLoads());
        for (int i = 0; i < moves.size(); i++) {
            DeliveryPreorder preorder = moved.get(i);
            published(preorder.preorderId(), preorder.vin(), center, moves.get(i).deliveryDate(), preorder.revision() + 1);
        }
        log.info("capacity of {} raised from {} to {}: {} of {} booked hand-overs moved earlier",
                center.name(), previousCapacity, center.dailyCapacity(), moves.size(), booked.size());
        return moves.size();
    }

    private void published(String preorderId, String vin, Center center, LocalDate day, int revision) {
        outbox.record(Topics.DELIVERY_SCHEDULED, preorderId, DeliveryScheduled.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setPreorderId(preorderId)
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

    private Center centerFor(PreorderPlaced event) {
        return centerFor(event, centers::serving);
    }

    private Center centerFor(PreorderPlaced event, Function<String, Optional<Center>> servingCity) {
        var serving = servingCity.apply(event.getDeliveryCity());
        if (serving.isPresent()) {
            return serving.get();
        }
        if (!properties.routesUnknownCities()) {
            throw new PermanentEventException("no delivery centre serves '%s' (preorder %s) and no fallback centre is configured"
                    .formatted(event.getDeliveryCity(), event.getPreorderId()));
        }
        Center fallback = servingCity.apply(properties.fallbackCity()).orElseThrow(() -> new IllegalStateException(
                "su7.delivery.schedule.fallback-city names %s, which no delivery centre serves".formatted(properties.fallbackCity())));
        log.warn("no delivery centre serves '{}' (preorder {}): routed to {}", event.getDeliveryCity(), event.getPreorderId(), fallback.name());
        afterCommit(() -> meters.counter("su7.delivery.rerouted", "center", fallback.city()).increment());
        return fallback;
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
