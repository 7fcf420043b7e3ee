package com.su7.simulation;

import com.su7.contract.FactoryCalendar;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a notification service tells a customer that their car's date changed: at most one push per customer per
 * factory day, except that a later date than the customer was told goes out at once (bad news must not wait for
 * tomorrow). A change inside the limit is held; a newer change of the same preorder replaces it, and the held changes
 * go out together on the customer's next push (their next factory day, or at once with a later date). A change
 * that leaves the customer with what they were told (the date moved and moved back) is no news: nothing is pushed.
 * "Earlier" and "later" are judged against what the customer was told, not against the event before: a date that
 * moved later but is still earlier than the one told is good news, and waits.
 * <p>
 * The first ETA ({@code FIRST}) is the placement confirmation and a cancellation ({@code CANCELLED}) its own
 * confirmation: receipts the customer expects at once for what they just did, sent at once, never held and not
 * counted against the daily limit (nor as pushes per customer in the report).
 */
final class PushPolicy {

    private final FactoryCalendar calendar;
    private final Map<String, Customer> customers = new HashMap<>();
    /** Customers with held changes: what {@link #due} looks at. */
    private final Map<String, Customer> holding = new HashMap<>();
    private long preordersToldEarlier;

    /** What a customer was told last of one preorder. */
    private record Shown(LocalDate earliest, LocalDate latest, PreorderStatus status) {
    }

    private static final class Customer {
        final String id;
        /** The factory day of their last counted push; null before the first. */
        LocalDate lastPushDay;
        final Map<String, Shown> told = new HashMap<>();
        /** The latest date of each preorder's placement confirmation. */
        final Map<String, LocalDate> promised = new HashMap<>();
        final Map<String, EtaNotice> held = new LinkedHashMap<>();

        Customer(String id) {
            this.id = id;
        }
    }

    /** @param calendar the services' factory calendar: which factory day an instant falls on */
    PushPolicy(FactoryCalendar calendar) {
        this.calendar = calendar;
    }

    /** The push this change causes now: empty when it is held or tells nothing new. */
    Optional<Push> on(EtaNotice change, Instant now) {
        Customer customer = customers.computeIfAbsent(change.customerId(), Customer::new);
        if (change.direction() == EtaDirection.FIRST || change.status() == PreorderStatus.CANCELLED) {
            Push.Kind kind = change.status() == PreorderStatus.CANCELLED ? Push.Kind.CANCELLED : Push.Kind.PLACED;
            if (kind == Push.Kind.PLACED) {
                customer.promised.put(change.preorderId(), change.latest());
            }
            unhold(customer, change.preorderId());
            return Optional.of(new Push(customer.id, now, List.of(tell(customer, change, kind))));
        }
        Optional<Push.Kind> kind = news(customer, change);
        if (kind.isEmpty()) {
            unhold(customer, change.preorderId());
            return Optional.empty();
        }
        customer.held.put(change.preorderId(), change);
        holding.put(customer.id, customer);
        LocalDate today = calendar.dateOf(now);
        if (kind.get() == Push.Kind.LATER || !today.equals(customer.lastPushDay)) {
            return Optional.of(push(customer, now, today));
        }
        return Optional.empty();
    }

    /** The held changes whose customers may be pushed again: their last push was on an earlier factory day. */
    List<Push> due(Instant now) {
        LocalDate today = calendar.dateOf(now);
        List<Push> pushes = new ArrayList<>();
        for (Customer customer : List.copyOf(holding.values())) {
            if (customer.lastPushDay == null || customer.lastPushDay.isBefore(today)) {
                pushes.add(push(customer, now, today));
            }
        }
        return pushes;
    }

    /** Changes held for the next push. */
    int held() {
        return holding.values().stream().mapToInt(customer -> customer.held.size()).sum();
    }

    /** Preorders whose latest date last pushed is earlier than the one their placement confirmation gave. */
    long preordersToldEarlier() {
        return preordersToldEarlier;
    }

    private Push push(Customer customer, Instant now, LocalDate today) {
        List<Push.Told> told = new ArrayList<>();
        customer.held.values().forEach(change -> told.add(tell(customer, change, news(customer, change).orElseThrow())));
        customer.held.clear();
        holding.remove(customer.id);
        customer.lastPushDay = today;
        return new Push(customer.id, now, told);
    }

    private Push.Told tell(Customer customer, EtaNotice change, Push.Kind kind) {
        Shown before = customer.told.put(change.preorderId(), new Shown(change.earliest(), change.latest(), change.status()));
        LocalDate promised = customer.promised.get(change.preorderId());
        if (promised != null) {
            boolean wasEarlier = before != null && before.latest().isBefore(promised);
            boolean isEarlier = change.latest().isBefore(promised);
            preordersToldEarlier += (isEarlier ? 1 : 0) - (wasEarlier ? 1 : 0);
        }
        return new Push.Told(change.preorderId(), kind, change.cause(), before == null ? null : before.latest(), change.earliest(),
                change.latest(), change.status());
    }

    private void unhold(Customer customer, String preorderId) {
        customer.held.remove(preorderId);
        if (customer.held.isEmpty()) {
            holding.remove(customer.id);
        }
    }

    /**
     * How the change differs from what the customer was told: by the latest date, by the earliest when the latest
     * stayed (as orders-service judges the direction), else by the status; empty when it does not. Of a preorder
     * whose confirmation this service never saw (it started later), the event's own direction.
     */
    private static Optional<Push.Kind> news(Customer customer, EtaNotice change) {
        Shown told = customer.told.get(change.preorderId());
        if (told == null) {
            return Optional.of(switch (change.direction()) {
                case EARLIER -> Push.Kind.EARLIER;
                case LATER -> Push.Kind.LATER;
                default -> Push.Kind.STATUS;
            });
        }
        int moved = change.latest().compareTo(told.latest());
        if (moved == 0) {
            moved = change.earliest().compareTo(told.earliest());
        }
        if (moved != 0) {
            return Optional.of(moved < 0 ? Push.Kind.EARLIER : Push.Kind.LATER);
        }
        return change.status() == told.status() ? Optional.empty() : Optional.of(Push.Kind.STATUS);
    }
}
