package com.su7.console.launch;

import com.su7.console.services.Service;
import com.su7.console.services.ServiceApis;
import org.springframework.security.concurrent.DelegatingSecurityContextExecutorService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The launch as it stands, for the page that polls it: each service's own summary, the dead letters each holds,
 * and how old the ETA inputs were when orders-service applied them. Asked of the three services at once; one that
 * does not answer leaves its part empty with the reason, not the page blank.
 */
@RestController
class LaunchController {

    /** How many factory days back (built, placed) and ahead (plan, hand-overs) the charts show. */
    static final int DAYS = 14;

    private static final String DEAD_LETTERS = "su7_messaging_dead_letters";
    private static final String EVENT_AGE = "su7_messaging_event_age_seconds_bucket";
    /** What moves a customer's ETA once placed: a unit built, a hand-over scheduled. */
    private static final Set<String> ETA_INPUTS = Set.of("production.unit-built", "delivery.delivery-scheduled");

    private final ServiceApis apis;

    LaunchController(ServiceApis apis) {
        this.apis = apis;
    }

    /**
     * @param deadLetters unresolved dead letters by service and state (OPEN, WAITING, PARKED)
     * @param etaInputAge cumulative counts of the ETA inputs applied by orders-service, by upper bound in seconds
     *                    ("+Inf" last): the page takes the difference of two polls for the window between them
     * @param problems    what could not be read, by source
     */
    record Launch(Instant at, JsonNode orders, JsonNode production, JsonNode delivery,
                  Map<String, Map<String, Long>> deadLetters, Map<String, Double> etaInputAge, Map<String, String> problems) {
    }

    @GetMapping("/console/api/launch")
    Launch launch() throws InterruptedException {
        try (ExecutorService executor = new DelegatingSecurityContextExecutorService(Executors.newVirtualThreadPerTaskExecutor())) {
            Future<JsonNode> orders = executor.submit(() -> apis.get(Service.ORDERS, "/api/preorders/stats"));
            Future<JsonNode> production = executor.submit(() -> apis.get(Service.PRODUCTION, "/api/production/summary?days={days}", DAYS));
            Future<JsonNode> delivery = executor.submit(() -> apis.get(Service.DELIVERY, "/api/delivery/centers/summary?days={days}", DAYS));
            Map<Service, Future<String>> scrapes = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                scrapes.put(service, executor.submit(() -> apis.text(service, "/actuator/prometheus")));
            }

            Map<String, String> problems = new TreeMap<>();
            Map<String, Map<String, Long>> deadLetters = new TreeMap<>();
            Map<String, Double> etaInputAge = new TreeMap<>();
            for (Map.Entry<Service, Future<String>> scrape : scrapes.entrySet()) {
                String text = result(scrape.getValue(), scrape.getKey().id() + " metrics", problems);
                if (text == null) {
                    continue;
                }
                List<PrometheusSamples.Sample> samples = PrometheusSamples.of(text, Set.of(DEAD_LETTERS, EVENT_AGE));
                deadLetters.put(scrape.getKey().id(), deadLettersByState(samples));
                if (scrape.getKey() == Service.ORDERS) {
                    etaInputAge.putAll(etaInputAge(samples));
                }
            }
            return new Launch(Instant.now(), result(orders, "orders", problems), result(production, "production", problems),
                    result(delivery, "delivery", problems), deadLetters, etaInputAge, problems);
        }
    }

    private static Map<String, Long> deadLettersByState(List<PrometheusSamples.Sample> samples) {
        Map<String, Long> byState = new TreeMap<>();
        for (String state : List.of("OPEN", "WAITING", "PARKED")) {
            byState.put(state, 0L);
        }
        samples.stream().filter(sample -> sample.name().equals(DEAD_LETTERS))
                .forEach(sample -> byState.merge(sample.labels().get("state"), (long) sample.value(), Long::sum));
        return byState;
    }

    private static Map<String, Double> etaInputAge(List<PrometheusSamples.Sample> samples) {
        Map<String, Double> byBound = new TreeMap<>();
        samples.stream().filter(sample -> sample.name().equals(EVENT_AGE) && ETA_INPUTS.contains(sample.labels().get("topic")))
                .forEach(sample -> byBound.merge(sample.labels().get("le"), sample.value(), Double::sum));
        return byBound;
    }

    private static <T> T result(Future<T> future, String source, Map<String, String> problems) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // A token the services refuse or that cannot be renewed: the whole page needs a new login.
            if (e.getCause() instanceof OAuth2AuthorizationException
                    || e.getCause() instanceof RestClientResponseException response && response.getStatusCode().value() == 401) {
                throw (RuntimeException) e.getCause();
            }
            problems.put(source, e.getCause() instanceof RestClientException ? e.getCause().getMessage() : String.valueOf(e.getCause()));
            return null;
        }
    }
}
