package com.su7.system;

import com.su7.contract.Topics;
import org.apache.avro.generic.GenericRecord;
import com.su7.testsupport.KafkaProbe;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Checks every preorder of a load after a fault, from outside: the orders API for the app's preorders, the
 * three services' projections, and the topics read by a consumer that knows only the Confluent wire format.
 * A preorder is <em>lost</em> when it never reaches DELIVERY_SCHEDULED with one final date everywhere (a cancelled one:
 * CANCELLED everywhere), or one of its events is missing; <em>duplicated</em> when the system made two of something
 * that must exist once (two preorders for one request, two PreorderPlaced, UnitBuilt or PreorderCancelled events, a
 * DeliveryScheduled or EtaChanged revision twice, a unit given to two customers). The same event (same eventId)
 * written twice is a <em>redelivery</em>: allowed, consumers deduplicate it. Every preorder's EtaChanged revisions are
 * 1..n, the last one what orders-service shows; a cancelled preorder's last one is its cancellation.
 */
final class PreorderAudit {

    /** Records the fault suite injected itself (poison, copies) carry this header and are not the system's. */
    static final String INJECTED_HEADER = "su7-fault-injected";

    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private final RunningSystem system;
    private final Map<String, Object> kafka;
    private final Topic topics;

    /** {@code kafka}: the settings of a client that may read every topic (the stack's admin). */
    PreorderAudit(RunningSystem system, Map<String, Object> kafka, String confluentApi) {
        this.system = system;
        this.kafka = kafka;
        this.topics = new Topic(kafka, confluentApi);
    }

    /** {@code cancelled}: of the preorders, those cancelled; {@code spareUnits}: their units no queued preorder took. */
    record Result(int preorders, Set<String> lost, Set<String> duplicated, int redelivered, List<String> problems, int cancelled,
                  int spareUnits) {
    }

    Result audit(PreorderLoad load) {
        return audit(load, Instant.MIN);
    }

    /** {@code etaChangedSince}: when orders-service started publishing EtaChanged (a rolling upgrade: its switch). */
    Result audit(PreorderLoad load, Instant etaChangedSince) {
        return audit(load.restPreorderIds(), load.appCustomers(), load.cancelledPreorderIds(), etaChangedSince);
    }

    Result audit(List<String> restPreorderIds, List<String> appCustomers) {
        return audit(restPreorderIds, appCustomers, List.of(), Instant.MIN);
    }

    /**
     * Waits until the system has settled (every preorder scheduled everywhere), then audits the preorders placed
     * through REST and those the app requested for the given customers (one request per customer).
     */
    Result audit(List<String> restPreorderIds, List<String> appCustomers, List<String> cancelledIds, Instant etaChangedSince) {
        Set<String> cancelled = Set.copyOf(cancelledIds);
        Set<String> duplicated = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>(restPreorderIds);
        ids.addAll(resolveAppPreorders(appCustomers, duplicated, problems));
        Set<String> lost = new LinkedHashSet<>();
        if (new HashSet<>(ids).size() != ids.size()) {
            problems.add("the same preorder id was answered for two requests");
        }

        awaitSettled(ids, cancelled);
        Map<String, LocalDate> finalDates = new HashMap<>();
        for (String id : ids) {
            if (cancelled.contains(id)) {
                continue;
            }
            Optional<LocalDate> orders = date(system.service("orders").baseUri().resolve("/api/preorders/" + id), "eta", "date");
            Optional<LocalDate> production = date(system.service("production").baseUri().resolve("/api/production/preorders/" + id), "deliveryDate");
            Optional<LocalDate> delivery = date(system.service("delivery").baseUri().resolve("/api/delivery/preorders/" + id), "deliveryDate");
            if (orders.isEmpty() || !orders.equals(production) || !orders.equals(delivery)) {
                lost.add(id);
                problems.add("%s: final dates orders %s, production %s, delivery %s".formatted(id, orders, production, delivery));
            } else {
                finalDates.put(id, orders.get());
            }
        }

        Set<String> wanted = Set.copyOf(ids);
        Map<String, List<Topic.Decoded>> placed = byPreorder(Topics.PREORDER_PLACED, wanted);
        Map<String, List<Topic.Decoded>> built = byPreorder(Topics.UNIT_BUILT, wanted);
        Map<String, List<Topic.Decoded>> scheduled = byPreorder(Topics.DELIVERY_SCHEDULED, wanted);
        Map<String, List<Topic.Decoded>> etaChanges = byPreorder(Topics.ETA_CHANGED, wanted);
        Map<String, List<Topic.Decoded>> cancellations = byPreorder(Topics.PREORDER_CANCELLED, wanted);
        Map<String, Set<String>> takersOfUnits = cancelled.isEmpty() ? Map.of() : takersOfReassignedUnits();
        int redelivered = 0;
        int spareUnits = 0;
        for (String id : ids) {
            redelivered += auditEtaChanges(id, etaChanges.getOrDefault(id, List.of()), etaChangedSince, lost, duplicated, problems);
            List<Topic.Decoded> cancellation = cancellations.getOrDefault(id, List.of());
            if (cancelled.contains(id)) {
                redelivered += (int) (cancellation.size() - distinctEvents(cancellation));
                if (distinctEvents(cancellation) != 1) {
                    (cancellation.isEmpty() ? lost : duplicated).add(id);
                    problems.add("%s: %d PreorderCancelled events".formatted(id, distinctEvents(cancellation)));
                }
                List<Topic.Decoded> units = built.getOrDefault(id, List.of()).stream()
                        .filter(unit -> reassignedFrom(unit.event()) == null).toList();
                if (distinctEvents(units) > 1) {
                    duplicated.add(id);
                    problems.add("%s: %d UnitBuilt events".formatted(id, distinctEvents(units)));
                }
                if (!units.isEmpty() && !auditReassignedUnit(id, units.getFirst().event().get("vin").toString(),
                        takersOfUnits.getOrDefault(id, Set.of()), duplicated, problems)) {
                    spareUnits++;
                }
                continue;
            }
            if (!cancellation.isEmpty()) {
                problems.add("%s: PreorderCancelled for a preorder nobody cancelled".formatted(id));
            }
            for (var events : Map.of("PreorderPlaced", placed, "UnitBuilt", built).entrySet()) {
                List<Topic.Decoded> records = events.getValue().getOrDefault(id, List.of());
                long distinct = distinctEvents(records);
                redelivered += (int) (records.size() - distinct);
                if (distinct == 0) {
                    lost.add(id);
                    problems.add("%s: no %s".formatted(id, events.getKey()));
                } else if (distinct > 1) {
                    duplicated.add(id);
                    problems.add("%s: %d %s events".formatted(id, distinct, events.getKey()));
                }
            }
            List<Topic.Decoded> schedules = scheduled.getOrDefault(id, List.of());
            redelivered += (int) (schedules.size() - distinctEvents(schedules));
            Map<Integer, Set<String>> eventsByRevision = schedules.stream().collect(Collectors.groupingBy(
                    decoded -> (Integer) decoded.event().get("revision"),
                    Collectors.mapping(decoded -> decoded.event().get("eventId").toString(), Collectors.toSet())));
            if (eventsByRevision.isEmpty()) {
                lost.add(id);
                problems.add("%s: no DeliveryScheduled".formatted(id));
                continue;
            }
            if (eventsByRevision.values().stream().anyMatch(events -> events.size() > 1)) {
                duplicated.add(id);
                problems.add("%s: a DeliveryScheduled revision twice with different events: %s".formatted(id, eventsByRevision));
            }
            int latest = eventsByRevision.keySet().stream().max(Integer::compare).orElseThrow();
            if (eventsByRevision.size() != latest || !eventsByRevision.containsKey(1)) {
                problems.add("%s: DeliveryScheduled revisions %s are not 1..%d".formatted(id, eventsByRevision.keySet(), latest));
                lost.add(id);
            }
            LocalDate onTheTopic = schedules.stream().filter(decoded -> (Integer) decoded.event().get("revision") == latest)
                    .map(decoded -> LocalDate.ofEpochDay((Integer) decoded.event().get("deliveryDate"))).findFirst().orElseThrow();
            if (finalDates.containsKey(id) && !onTheTopic.equals(finalDates.get(id))) {
                lost.add(id);
                problems.add("%s: the latest DeliveryScheduled says %s, the projections %s".formatted(id, onTheTopic, finalDates.get(id)));
            }
        }
        return new Result(ids.size(), lost, duplicated, redelivered, problems, cancelled.size(), spareUnits);
    }

    /**
     * A preorder's EtaChanged, as a notification service sees them: deduplicated by eventId, each revision once, exactly
     * the revisions of its ETA history (1..n; in a rolling upgrade, those written since orders-service published them),
     * the last one the status (and the date, once exact) orders-service shows. Returns the redeliveries.
     */
    private int auditEtaChanges(String id, List<Topic.Decoded> changes, Instant since, Set<String> lost, Set<String> duplicated,
                                List<String> problems) {
        Map<Integer, Set<String>> eventsByRevision = changes.stream().collect(Collectors.groupingBy(
                decoded -> (Integer) decoded.event().get("revision"),
                Collectors.mapping(decoded -> decoded.event().get("eventId").toString(), Collectors.toSet())));
        if (eventsByRevision.values().stream().anyMatch(events -> events.size() > 1)) {
            duplicated.add(id);
            problems.add("%s: an EtaChanged revision twice with different events: %s".formatted(id, eventsByRevision));
        }
        JsonNode shown = Api.get(system.service("orders").baseUri().resolve("/api/preorders/" + id)).orElseThrow();
        List<Integer> history = new ArrayList<>();
        shown.path("etaHistory").forEach(change -> {
            if (!Instant.parse(change.path("at").asString()).isBefore(since)) {
                history.add(change.path("revision").asInt());
            }
        });
        if (since.equals(Instant.MIN) && !history.equals(IntStream.rangeClosed(1, history.size()).boxed().toList())) {
            problems.add("%s: its ETA history's revisions %s are not 1..%d".formatted(id, history, history.size()));
        }
        if (!eventsByRevision.keySet().equals(Set.copyOf(history))) {
            lost.add(id);
            problems.add("%s: EtaChanged revisions %s, its ETA history's %s".formatted(id, new TreeSet<>(eventsByRevision.keySet()), history));
            return changes.size() - (int) distinctEvents(changes);
        }
        if (history.isEmpty()) {
            return changes.size() - (int) distinctEvents(changes);
        }
        int latest = history.getLast();
        GenericRecord last = changes.stream().map(Topic.Decoded::event).filter(event -> (Integer) event.get("revision") == latest)
                .findFirst().orElseThrow();
        String status = shown.path("status").asString();
        if (!last.get("status").toString().equals(status)
                || ("DELIVERY_SCHEDULED".equals(status) && !Topic.date(last, "latest").toString().equals(shown.path("eta").path("date").asString()))) {
            lost.add(id);
            problems.add("%s: the last EtaChanged (revision %d) says %s %s, orders-service shows %s %s".formatted(id, latest,
                    last.get("status"), Topic.date(last, "latest"), status, shown.path("eta")));
        }
        return changes.size() - (int) distinctEvents(changes);
    }

    /**
     * The unit of a cancelled preorder went to exactly one other customer (a UnitBuilt with reassignedFrom, and that
     * preorder holds the VIN in production, or released it when it was cancelled too), or waits as a spare (production shows it released and nobody holds it).
     * Returns whether it went to a customer.
     */
    private boolean auditReassignedUnit(String cancelledId, String vin, Set<String> takers, Set<String> duplicated, List<String> problems) {
        JsonNode production = Api.get(system.service("production").baseUri().resolve("/api/production/preorders/" + cancelledId)).orElseThrow();
        if (!vin.equals(production.path("releasedVin").asString())) {
            problems.add("%s: production shows released unit %s, its UnitBuilt says %s".formatted(cancelledId, production.path("releasedVin"), vin));
        }
        if (takers.size() > 1) {
            duplicated.add(cancelledId);
            problems.add("%s: its unit %s went to %d customers: %s".formatted(cancelledId, vin, takers.size(), takers));
        }
        if (takers.size() == 1) {
            String taker = takers.iterator().next();
            JsonNode holder = Api.get(system.service("production").baseUri().resolve("/api/production/preorders/" + taker)).orElseThrow();
            // A taker cancelled in turn gave the unit up again (its own audit follows it from there).
            boolean passedOn = vin.equals(holder.path("releasedVin").asString());
            if (!vin.equals(holder.path("vin").asString()) && !passedOn) {
                problems.add("%s: its unit %s went to %s, which production shows with %s".formatted(cancelledId, vin, taker, holder.path("vin")));
            }
        }
        return !takers.isEmpty();
    }

    /** The preorders each cancelled preorder's unit went to, from the UnitBuilt events with reassignedFrom. */
    private Map<String, Set<String>> takersOfReassignedUnits() {
        return topics.readAll(Topics.UNIT_BUILT, record -> record.headers().lastHeader(INJECTED_HEADER) == null).stream()
                .filter(unit -> reassignedFrom(unit.event()) != null)
                .collect(Collectors.groupingBy(unit -> reassignedFrom(unit.event()),
                        Collectors.mapping(unit -> unit.event().get("preorderId").toString(), Collectors.toSet())));
    }

    /** The cancelled preorder a unit was built for, or null: also for a UnitBuilt written before the field existed (v0.3.0). */
    private static String reassignedFrom(GenericRecord unit) {
        return unit.hasField("reassignedFrom") && unit.get("reassignedFrom") != null ? unit.get("reassignedFrom").toString() : null;
    }

    /** Records on a topic's dead-letter twin, all of them (the suite counts what a case adds). */
    int deadLetters(Collection<String> consumedTopics) {
        KafkaProbe probe = new KafkaProbe(kafka);
        return consumedTopics.stream().mapToInt(topic -> probe.records(Topics.deadLetterOf(topic), record -> true).size()).sum();
    }

    private List<String> resolveAppPreorders(List<String> customers, Set<String> duplicated, List<String> problems) {
        Map<String, List<String>> ids = new HashMap<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (String customer : customers) {
                if (!ids.containsKey(customer)) {
                    Api.get(system.service("orders").baseUri().resolve("/api/preorders?customerId=" + customer))
                            .map(page -> page.path("items"))
                            .filter(items -> !items.isEmpty())
                            .ifPresent(items -> {
                                List<String> found = new ArrayList<>();
                                items.forEach(item -> found.add(item.path("id").asString()));
                                ids.put(customer, found);
                            });
                }
            }
            return ids.size() == customers.size();
        });
        List<String> preorderIds = new ArrayList<>();
        ids.forEach((customer, found) -> {
            if (found.size() > 1) {
                duplicated.add(found.getFirst());
                problems.add("app request of %s placed %d preorders".formatted(customer, found.size()));
            }
            preorderIds.add(found.getFirst());
        });
        return preorderIds;
    }

    /**
     * Orders sees everything scheduled or cancelled, the other two projections have the same final date, and a
     * cancelled preorder is CANCELLED in all three.
     */
    private void awaitSettled(List<String> ids, Set<String> cancelled) {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode stats = Api.get(system.service("orders").baseUri().resolve("/api/preorders/stats")).orElseThrow();
            return stats.path("byStatus").path("DELIVERY_SCHEDULED").asLong() + stats.path("byStatus").path("CANCELLED").asLong()
                    == stats.path("total").asLong();
        });
        List<String> pending = new ArrayList<>(ids);
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            pending.removeIf(id -> {
                if (cancelled.contains(id)) {
                    return Stream.of(system.service("orders").baseUri().resolve("/api/preorders/" + id),
                                    system.service("production").baseUri().resolve("/api/production/preorders/" + id),
                                    system.service("delivery").baseUri().resolve("/api/delivery/preorders/" + id))
                            .allMatch(uri -> Api.get(uri).map(view -> "CANCELLED".equals(view.path("status").asString())).orElse(false));
                }
                Optional<LocalDate> orders = date(system.service("orders").baseUri().resolve("/api/preorders/" + id), "eta", "date");
                return orders.isPresent()
                        && orders.equals(date(system.service("production").baseUri().resolve("/api/production/preorders/" + id), "deliveryDate"))
                        && orders.equals(date(system.service("delivery").baseUri().resolve("/api/delivery/preorders/" + id), "deliveryDate"));
            });
            return pending.isEmpty();
        });
    }

    private Map<String, List<Topic.Decoded>> byPreorder(String topic, Set<String> wanted) {
        return topics.readAll(topic, record -> record.headers().lastHeader(INJECTED_HEADER) == null).stream()
                .filter(decoded -> wanted.contains(decoded.event().get("preorderId").toString()))
                .collect(Collectors.groupingBy(decoded -> decoded.event().get("preorderId").toString()));
    }

    private static long distinctEvents(List<Topic.Decoded> records) {
        return records.stream().map(decoded -> decoded.event().get("eventId").toString()).distinct().count();
    }

    private static Optional<LocalDate> date(URI uri, String... path) {
        return Api.get(uri).map(node -> {
            JsonNode value = node;
            for (String field : path) {
                value = value.path(field);
            }
            return value.isMissingNode() || value.isNull() ? null : LocalDate.parse(value.asString());
        });
    }
}
