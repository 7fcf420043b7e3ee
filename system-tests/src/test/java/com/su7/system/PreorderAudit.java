package com.su7.system;

import com.su7.contract.Topics;
import com.su7.testsupport.KafkaProbe;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
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
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Checks every preorder of a load after a fault, from outside: the orders API for the app's preorders, the
 * three services' projections, and the topics read by a consumer that knows only the Confluent wire format.
 * A preorder is <em>lost</em> when it never reaches DELIVERY_SCHEDULED with one final date everywhere, or one
 * of its events is missing; <em>duplicated</em> when the system made two of something that must exist once
 * (two preorders for one request, two PreorderPlaced or UnitBuilt events, a DeliveryScheduled revision twice).
 * The same event (same eventId) written twice is a <em>redelivery</em>: allowed, consumers deduplicate it.
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

    record Result(int preorders, Set<String> lost, Set<String> duplicated, int redelivered, List<String> problems) {
    }

    Result audit(PreorderLoad load) {
        return audit(load.restPreorderIds(), load.appCustomers());
    }

    /**
     * Waits until the system has settled (every preorder scheduled everywhere), then audits the preorders placed
     * through REST and those the app requested for the given customers (one request per customer).
     */
    Result audit(List<String> restPreorderIds, List<String> appCustomers) {
        Set<String> duplicated = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>(restPreorderIds);
        ids.addAll(resolveAppPreorders(appCustomers, duplicated, problems));
        Set<String> lost = new LinkedHashSet<>();
        if (new HashSet<>(ids).size() != ids.size()) {
            problems.add("the same preorder id was answered for two requests");
        }

        awaitSettled(ids);
        Map<String, LocalDate> finalDates = new HashMap<>();
        for (String id : ids) {
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
        int redelivered = 0;
        for (String id : ids) {
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
        return new Result(ids.size(), lost, duplicated, redelivered, problems);
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

    /** Orders sees everything scheduled, and the other two projections have the same final date. */
    private void awaitSettled(List<String> ids) {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode stats = Api.get(system.service("orders").baseUri().resolve("/api/preorders/stats")).orElseThrow();
            return stats.path("byStatus").path("DELIVERY_SCHEDULED").asLong() == stats.path("total").asLong();
        });
        List<String> pending = new ArrayList<>(ids);
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            pending.removeIf(id -> {
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
