package com.su7.console.launch;

import com.su7.console.services.Service;
import com.su7.console.services.ServiceApis;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

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
        Map<String, Supplier<?>> calls = new LinkedHashMap<>();
        calls.put("orders", () -> apis.get(Service.ORDERS, "/api/preorders/stats"));
        calls.put("production", () -> apis.get(Service.PRODUCTION, "/api/production/summary?days={days}", DAYS));
        calls.put("delivery", () -> apis.get(Service.DELIVERY, "/api/delivery/centers/summary?days={days}", DAYS));
        for (Service service : Service.values()) {
            calls.put(metricsOf(service), () -> apis.text(service, "/actuator/prometheus"));
        }
        ServiceApis.Answers answers = apis.inParallel(calls);

        Map<String, Map<String, Long>> deadLetters = new TreeMap<>();
        Map<String, Double> etaInputAge = new TreeMap<>();
        for (Service service : Service.values()) {
            String scrape = answers.text(metricsOf(service));
            if (scrape == null) {
                continue;
            }
            List<PrometheusSamples.Sample> samples = PrometheusSamples.of(scrape, Set.of(DEAD_LETTERS, EVENT_AGE));
            deadLetters.put(service.id(), deadLettersByState(samples));
            if (service == Service.ORDERS) {
                etaInputAge.putAll(etaInputAge(samples));
            }
        }
        return new Launch(Instant.now(), answers.json("orders"), answers.json("production"), answers.json("delivery"),
                deadLetters, etaInputAge, answers.problems());
    }

    private static String metricsOf(Service service) {
        return service.id() + " metrics";
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
}
