package com.su7.console.preorder;

import com.su7.console.services.Service;
import com.su7.console.services.ServiceApis;
import org.springframework.http.HttpStatus;
import org.springframework.security.concurrent.DelegatingSecurityContextExecutorService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        try (ExecutorService executor = new DelegatingSecurityContextExecutorService(Executors.newVirtualThreadPerTaskExecutor())) {
            Future<JsonNode> orders = executor.submit(() -> known(() -> apis.get(Service.ORDERS, "/api/preorders/{id}", preorderId)));
            Future<JsonNode> production = executor.submit(() -> known(() ->
                    apis.get(Service.PRODUCTION, "/api/production/preorders/{id}", preorderId)));
            Future<JsonNode> delivery = executor.submit(() -> known(() -> apis.get(Service.DELIVERY, "/api/delivery/preorders/{id}", preorderId)));
            Map<Service, Future<JsonNode>> deadLetters = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                deadLetters.put(service, executor.submit(() -> apis.get(service, "/api/dead-letters?preorderId={id}&limit=100", preorderId)));
            }
            List<JsonNode> letters = new ArrayList<>();
            for (Map.Entry<Service, Future<JsonNode>> entry : deadLetters.entrySet()) {
                for (JsonNode letter : get(entry.getValue()).path("deadLetters")) {
                    letters.add(((ObjectNode) letter).put("service", entry.getKey().id()));
                }
            }
            Timeline timeline = Timeline.of(preorderId, get(orders), get(production), get(delivery), letters);
            if (timeline.views().isEmpty() && letters.isEmpty()) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No service knows preorder " + preorderId);
            }
            return timeline;
        }
    }

    /** The service's view, or null where it does not know the preorder (yet). */
    private static JsonNode known(Supplier<JsonNode> view) {
        try {
            return view.get();
        } catch (HttpClientErrorException.NotFound e) {
            return null;
        }
    }

    private static JsonNode get(Future<JsonNode> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }
}
