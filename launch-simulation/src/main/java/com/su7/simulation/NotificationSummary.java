package com.su7.simulation;

import com.su7.events.EtaChangeCause;
import com.su7.events.EtaDirection;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the notification service told this run's customers (preorders of earlier runs in a kept data directory left
 * out): confirmations, pushes per customer (confirmations not counted), "later" pushes, and how many customers were
 * last told a date earlier than their placement confirmation's, by how many days.
 *
 * @param changes                  EtaChanged received, each once
 * @param duplicates               EtaChanged skipped as already seen (by eventId), of any run
 * @param placementConfirmations   first ETAs pushed as placement confirmations
 * @param cancellationConfirmations cancellations confirmed
 * @param pushes                   pushes under the daily limit
 * @param pushesPerCustomer        per customer of the run, including those never pushed
 * @param laterPushes              pushes that told a later date
 * @param laterByCause             the later dates told, by the cause of the change
 * @param customersToldEarlier     customers last told an earlier date than their placement confirmation's
 * @param daysEarlier              by how many days, per preorder
 * @param customersMovedEarlierByCancellation customers whose ETA moved earlier because a preorder ahead was cancelled
 * @param heldAtEnd                changes still held for the customer's next factory day when the run ended, of any run
 */
record NotificationSummary(long changes, long duplicates, long placementConfirmations, long cancellationConfirmations,
                           long pushes, Histogram pushesPerCustomer, long laterPushes, Map<EtaChangeCause, Long> laterByCause,
                           long customersToldEarlier,
                           Histogram daysEarlier, long customersMovedEarlierByCancellation, int heldAtEnd) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long HIGHEST = 100_000;

    /** @param customerOfPreorder this run's preorders and their customers */
    static NotificationSummary of(List<EtaNotice> received, List<Push> pushed, Map<String, String> customerOfPreorder,
                                  long duplicates, int heldAtEnd) {
        List<EtaNotice> ours = received.stream().filter(change -> customerOfPreorder.containsKey(change.preorderId())).toList();
        Set<String> movedByCancellation = new HashSet<>();
        ours.stream().filter(change -> change.cause() == EtaChangeCause.CANCELLATION_AHEAD && change.direction() == EtaDirection.EARLIER)
                .forEach(change -> movedByCancellation.add(change.customerId()));

        long placed = 0;
        long cancelled = 0;
        long pushes = 0;
        long later = 0;
        Map<EtaChangeCause, Long> laterByCause = new EnumMap<>(EtaChangeCause.class);
        Map<String, Long> pushesOf = new HashMap<>();
        customerOfPreorder.values().forEach(customer -> pushesOf.put(customer, 0L));
        Map<String, LocalDate> promised = new HashMap<>();
        Map<String, LocalDate> lastTold = new HashMap<>();
        for (Push push : pushed) {
            List<Push.Told> told = push.told().stream().filter(entry -> customerOfPreorder.containsKey(entry.preorderId())).toList();
            if (told.isEmpty()) {
                continue;
            }
            for (Push.Told entry : told) {
                switch (entry.kind()) {
                    case PLACED -> {
                        placed++;
                        promised.put(entry.preorderId(), entry.latest());
                    }
                    case CANCELLED -> cancelled++;
                    case LATER -> laterByCause.merge(entry.cause(), 1L, Long::sum);
                    default -> {
                    }
                }
                lastTold.put(entry.preorderId(), entry.latest());
            }
            if (!push.confirmation()) {
                pushes++;
                pushesOf.merge(push.customerId(), 1L, Long::sum);
                if (push.tells(Push.Kind.LATER)) {
                    later++;
                }
            }
        }
        Histogram perCustomer = histogram();
        pushesOf.values().forEach(count -> perCustomer.recordValue(Math.min(count, HIGHEST)));
        Histogram daysEarlier = histogram();
        Set<String> toldEarlier = new HashSet<>();
        promised.forEach((preorder, promise) -> {
            long days = ChronoUnit.DAYS.between(lastTold.get(preorder), promise);
            if (days > 0) {
                daysEarlier.recordValue(Math.min(days, HIGHEST));
                toldEarlier.add(customerOfPreorder.get(preorder));
            }
        });
        return new NotificationSummary(ours.size(), duplicates, placed, cancelled, pushes, perCustomer, later, laterByCause, toldEarlier.size(),
                daysEarlier, movedByCancellation.size(), heldAtEnd);
    }

    ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode()
                .put("etaChangesReceived", changes)
                .put("duplicatesSkipped", duplicates)
                .put("placementConfirmations", placementConfirmations)
                .put("cancellationConfirmations", cancellationConfirmations)
                .put("pushes", pushes)
                .put("laterPushes", laterPushes)
                .put("customersToldEarlier", customersToldEarlier)
                .put("customersMovedEarlierByCancellationAhead", customersMovedEarlierByCancellation)
                .put("heldForNextFactoryDayAtEnd", heldAtEnd);
        ObjectNode byCause = json.putObject("laterDatesToldByCause");
        laterByCause.forEach((cause, count) -> byCause.put(cause.name(), count));
        json.set("pushesPerCustomer", DailyLatencies.percentiles(pushesPerCustomer));
        json.set("daysEarlier", DailyLatencies.percentiles(daysEarlier));
        return json;
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST, 3);
    }
}
