package com.su7.console.preorder;

import com.su7.console.services.Service;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One preorder as the three services see it: its events in time order, and its projections side by side, each
 * aspect marked where the services disagree (an event still on its way, or one that went wrong). Built from what
 * the services' APIs answer: orders-service's preorder with its ETA history (every {@code EtaChanged}, with the
 * schedule revisions that caused them), production's and delivery's views of it, and the dead letters that name it.
 *
 * @param views       by service id; absent where the service does not know the preorder
 * @param deadLetters every dead letter that names the preorder, each with its {@code service}
 * @param problems    what could not be read, by source (a service id for its view): a service that did not answer is
 *                    left out of the comparison, so the others still show where they stand
 */
record Timeline(String preorderId, Map<String, JsonNode> views, List<Event> events, List<Aspect> projections,
                List<JsonNode> deadLetters, Map<String, String> problems) {

    /** @param service the service that recorded it */
    record Event(Instant at, String service, String event, String detail) {
    }

    /**
     * @param values by service id: the value, or null where the service does not have it (yet)
     * @param agree  whether every service that has a say shows the same
     */
    record Aspect(String name, Map<String, String> values, boolean agree) {
    }

    /** Where a preorder stands, in words all three services share. */
    private static final Map<String, String> STAGES = Map.ofEntries(
            Map.entry("PLACED", "placed"), Map.entry("QUEUED", "placed"), Map.entry("AWAITING_UNIT", "placed"),
            Map.entry("BUILT", "built"), Map.entry("HELD", "built"),
            Map.entry("DELIVERY_SCHEDULED", "scheduled"), Map.entry("SCHEDULED", "scheduled"),
            Map.entry("CANCELLED", "cancelled"));

    static Timeline of(String preorderId, JsonNode orders, JsonNode production, JsonNode delivery, List<JsonNode> deadLetters,
                       Map<String, String> problems) {
        Map<Service, JsonNode> views = new EnumMap<>(Service.class);
        if (orders != null) {
            views.put(Service.ORDERS, orders);
        }
        if (production != null) {
            views.put(Service.PRODUCTION, production);
        }
        if (delivery != null) {
            views.put(Service.DELIVERY, delivery);
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        views.forEach((service, view) -> byId.put(service.id(), view));
        List<Service> answered = Arrays.stream(Service.values()).filter(service -> !problems.containsKey(service.id())).toList();
        return new Timeline(preorderId, byId, events(orders, production, delivery, deadLetters),
                projections(views, answered), deadLetters, problems);
    }

    private static List<Event> events(JsonNode orders, JsonNode production, JsonNode delivery, List<JsonNode> deadLetters) {
        List<Event> events = new ArrayList<>();
        if (orders != null) {
            add(events, orders, "placedAt", Service.ORDERS, "Placed", "%s for %s, by %s".formatted(text(orders, "variant"),
                    text(orders, "deliveryCity"), text(orders, "channel")));
            for (JsonNode change : orders.path("etaHistory")) {
                add(events, change, "at", Service.ORDERS, "EtaChanged r" + change.path("revision").asString(""),
                        "%s: %s → %s".formatted(text(change, "cause"), range(change, "oldEarliest", "oldLatest"),
                                range(change, "newEarliest", "newLatest")));
            }
            add(events, orders, "cancelledAt", Service.ORDERS, "Cancelled", "reason " + text(orders, "cancellationReason"));
        }
        if (production != null) {
            add(events, production, "builtAt", Service.PRODUCTION, "UnitBuilt",
                    "%s at %s".formatted(text(production, "vin"), text(production, "plant")));
            add(events, production, "cancelledAt", Service.PRODUCTION, "Taken out of production",
                    production.hasNonNull("releasedVin") ? "unit %s goes to the next preorder in line".formatted(text(production, "releasedVin"))
                            : "left the queue");
        }
        if (delivery != null) {
            add(events, delivery, "cancelledAt", Service.DELIVERY, "Hand-over freed", "at " + text(delivery, "center"));
        }
        for (JsonNode letter : deadLetters) {
            add(events, letter, "createdAt", Service.of(letter.path("service").asString()), "Dead-lettered",
                    "%s on %s: %s (%s)".formatted(text(letter, "consumer"), text(letter, "topic"), text(letter, "reason"),
                            text(letter, "state")));
        }
        events.sort(Comparator.comparing(Event::at));
        return events;
    }

    /** Each aspect as the services that answered show it. */
    private static List<Aspect> projections(Map<Service, JsonNode> views, List<Service> answered) {
        List<Aspect> aspects = new ArrayList<>();
        Map<String, String> known = new LinkedHashMap<>();
        for (Service service : answered) {
            known.put(service.id(), views.containsKey(service) ? "yes" : "no");
        }
        aspects.add(new Aspect("known", known, !known.containsValue("no")));
        aspects.add(aspectBy("stage", views, view -> view.path("status").asString(null),
                status -> STAGES.getOrDefault(status, status), answered));
        aspects.add(aspect("VIN", views, view -> text(view, "vin"), answered));
        aspects.add(aspect("hand-over centre", views, view -> view.has("center") ? text(view, "center") : text(view, "deliveryCenter"),
                answered));
        aspects.add(aspect("hand-over date", views, view -> view.has("deliveryDate") ? text(view, "deliveryDate")
                : "DELIVERY_SCHEDULED".equals(view.path("status").asString(null)) ? text(view.path("eta"), "date") : null, answered));
        // orders-service shows the schedule's dates, not its revision numbers
        aspects.add(aspect("schedule revision", views, view -> view.has("revision") ? positive(view, "revision")
                : positive(view, "deliveryRevision"), answered.stream().filter(service -> service != Service.ORDERS).toList()));
        aspects.add(aspect("cancelled at", views, view -> text(view, "cancelledAt"), answered));
        return aspects;
    }

    private static Aspect aspect(String name, Map<Service, JsonNode> views, Function<JsonNode, String> value, List<Service> having) {
        return aspectBy(name, views, value, Function.identity(), having);
    }

    /**
     * {@code value} of each service's view (null where the service does not know the preorder), compared by
     * {@code meaning} (the services name the same stage differently).
     */
    private static Aspect aspectBy(String name, Map<Service, JsonNode> views, Function<JsonNode, String> value,
                                   Function<String, String> meaning, List<Service> having) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Service service : having) {
            JsonNode view = views.get(service);
            values.put(service.id(), view == null ? null : value.apply(view));
        }
        boolean agree = values.values().stream().map(v -> v == null ? "" : meaning.apply(v)).distinct().count() <= 1;
        return new Aspect(name, values, agree);
    }

    private static void add(List<Event> events, JsonNode node, String timeField, Service service, String event, String detail) {
        String at = text(node, timeField);
        if (at != null) {
            events.add(new Event(Instant.parse(at), service.id(), event, detail));
        }
    }

    private static String range(JsonNode change, String earliest, String latest) {
        String from = text(change, earliest);
        String to = text(change, latest);
        return from == null ? "none" : from.equals(to) || to == null ? from : from + " – " + to;
    }

    private static String positive(JsonNode node, String field) {
        return node.path(field).asInt(0) > 0 ? node.path(field).asString() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
