package com.su7.console.deadletter;

import com.su7.console.services.Service;
import com.su7.console.services.ServiceApis;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dead letters of all three services in one list (each service keeps its own consumers' dead letters), one
 * decoded with its reason, dry runs and redrives (by the service that holds it), and every redrive done.
 */
@RestController
class DeadLetterController {

    private final ServiceApis apis;

    DeadLetterController(ServiceApis apis) {
        this.apis = apis;
    }

    /**
     * @param deadLetters the newest first, each with its {@code service}
     * @param problems    the services that could not be asked, and why: the list holds the others'
     */
    record DeadLetters(List<JsonNode> deadLetters, Map<String, String> problems) {
    }

    /** @param service one service's only; all three without it */
    @GetMapping("/console/api/dead-letters")
    DeadLetters list(@RequestParam(required = false) String service, @RequestParam(required = false) String state,
                     @RequestParam(required = false) String topic, @RequestParam(required = false) String preorderId,
                     @RequestParam(required = false) String exception, @RequestParam(defaultValue = "100") int limit)
            throws InterruptedException {
        // A template with a variable per filter given: the client encodes each value once.
        StringBuilder uri = new StringBuilder("/api/dead-letters?limit={limit}");
        List<Object> values = new ArrayList<>(List.of(limit));
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("state", state);
        filters.put("topic", topic);
        filters.put("preorderId", preorderId);
        filters.put("exception", exception);
        filters.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                uri.append("&%s={%s}".formatted(name, name));
                values.add(value.strip());
            }
        });
        Map<String, Supplier<?>> calls = new LinkedHashMap<>();
        for (Service holder : services(service)) {
            calls.put(holder.id(), () -> apis.get(holder, uri.toString(), values.toArray()));
        }
        ServiceApis.Answers answers = apis.inParallel(calls);
        List<JsonNode> letters = new ArrayList<>();
        for (Service holder : services(service)) {
            JsonNode held = answers.json(holder.id());
            if (held != null) {
                for (JsonNode letter : held.path("deadLetters")) {
                    letters.add(((ObjectNode) letter).put("service", holder.id()));
                }
            }
        }
        letters.sort(Comparator.comparing((JsonNode letter) -> Instant.parse(letter.path("createdAt").asString())).reversed());
        return new DeadLetters(letters.size() > limit ? letters.subList(0, limit) : letters, answers.problems());
    }

    @GetMapping("/console/api/dead-letters/{service}/{id}")
    JsonNode one(@PathVariable String service, @PathVariable long id) {
        return ((ObjectNode) apis.get(Service.of(service), "/api/dead-letters/{id}", id)).put("service", service);
    }

    /** The service's redrive: {@code dryRun} says what would be redriven and applies nothing. */
    @PostMapping("/console/api/dead-letters/{service}/redrives")
    JsonNode redrive(@PathVariable String service, @RequestBody JsonNode request) {
        return apis.post(Service.of(service), request, "/api/dead-letters/redrives");
    }

    /**
     * @param redrives the newest first, each with its {@code service}
     * @param problems the services that could not be asked, and why
     */
    record Redrives(List<JsonNode> redrives, Map<String, String> problems) {
    }

    /** Every service's redrives. */
    @GetMapping("/console/api/dead-letters/redrives")
    Redrives redrives() throws InterruptedException {
        Map<String, Supplier<?>> calls = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            calls.put(service.id(), () -> apis.get(service, "/api/dead-letters/redrives?limit=50"));
        }
        ServiceApis.Answers answers = apis.inParallel(calls);
        List<JsonNode> reports = new ArrayList<>();
        for (Service service : Service.values()) {
            JsonNode held = answers.json(service.id());
            if (held != null) {
                for (JsonNode report : held) {
                    reports.add(((ObjectNode) report).put("service", service.id()));
                }
            }
        }
        reports.sort(Comparator.comparing((JsonNode report) -> Instant.parse(report.path("requestedAt").asString())).reversed());
        return new Redrives(reports, answers.problems());
    }

    private static List<Service> services(String service) {
        return service == null || service.isBlank() ? List.of(Service.values()) : List.of(Service.of(service));
    }
}
