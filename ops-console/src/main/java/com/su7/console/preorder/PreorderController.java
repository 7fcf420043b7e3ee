package com.su7.console.preorder;

import com.su7.console.services.Service;
import com.su7.console.services.ServiceApis;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** Finding a preorder (by its id, or a customer's) and its timeline across the three services. */
@RestController
class PreorderController {

    private final ServiceApis apis;

    PreorderController(ServiceApis apis) {
        this.apis = apis;
    }

    /** A customer's preorders as orders-service lists them, a page at a time. */
    @GetMapping("/console/api/preorders")
    JsonNode ofCustomer(@RequestParam String customerId, @RequestParam(defaultValue = "0") int page) {
        return apis.get(Service.ORDERS, "/api/preorders?customerId={customerId}&page={page}&size=20", customerId, page);
    }

    @GetMapping("/console/api/preorders/{preorderId}")
    Timeline timeline(@PathVariable String preorderId) throws InterruptedException {
        try {
            UUID.fromString(preorderId);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'%s' is not a preorder id (a UUID)".formatted(preorderId));
        }
        Map<String, Supplier<?>> calls = new LinkedHashMap<>();
        calls.put(Service.ORDERS.id(), () -> known(() -> apis.get(Service.ORDERS, "/api/preorders/{id}", preorderId)));
        calls.put(Service.PRODUCTION.id(), () -> known(() -> apis.get(Service.PRODUCTION, "/api/production/preorders/{id}", preorderId)));
        calls.put(Service.DELIVERY.id(), () -> known(() -> apis.get(Service.DELIVERY, "/api/delivery/preorders/{id}", preorderId)));
        for (Service service : Service.values()) {
            calls.put(deadLettersOf(service), () -> apis.get(service, "/api/dead-letters?preorderId={id}&limit=100", preorderId));
        }
        ServiceApis.Answers answers = apis.inParallel(calls);
        List<JsonNode> letters = new ArrayList<>();
        for (Service service : Service.values()) {
            JsonNode held = answers.json(deadLettersOf(service));
            if (held != null) {
                for (JsonNode letter : held.path("deadLetters")) {
                    letters.add(((ObjectNode) letter).put("service", service.id()));
                }
            }
        }
        Timeline timeline = Timeline.of(preorderId, answers.json(Service.ORDERS.id()), answers.json(Service.PRODUCTION.id()),
                answers.json(Service.DELIVERY.id()), letters, answers.problems());
        if (timeline.views().isEmpty() && letters.isEmpty() && answers.problems().isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No service knows preorder " + preorderId);
        }
        return timeline;
    }

    private static String deadLettersOf(Service service) {
        return service.id() + " dead letters";
    }

    /** The service's view, or null where it does not know the preorder (yet). */
    private static JsonNode known(Supplier<JsonNode> view) {
        try {
            return view.get();
        } catch (HttpClientErrorException.NotFound e) {
            return null;
        }
    }
}
