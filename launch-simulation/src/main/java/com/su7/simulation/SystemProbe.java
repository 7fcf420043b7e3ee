package com.su7.simulation;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads what the system shows: orders-service's counts by status, and preorders with their ETA history a batch at
 * a time. A 429 is waited out as its {@code Retry-After} says.
 */
final class SystemProbe {

    /** The most idempotency keys orders-service takes in one lookup. */
    static final int KEYS_PER_LOOKUP = 100;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ATTEMPTS = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI orders;
    private final SimulationOptions.AppClient client;

    SystemProbe(URI ordersUrl, SimulationOptions.AppClient client) {
        this.orders = ordersUrl;
        this.client = client;
    }

    /** Preorders by status, as ops see them. */
    Counts counts() {
        JsonNode stats = get(orders.resolve("/api/preorders/stats")).orElse(JSON.createObjectNode());
        return new Counts(count(stats, "PLACED"), count(stats, "BUILT"), count(stats, "DELIVERY_SCHEDULED"), count(stats, "CANCELLED"));
    }

    /**
     * The preorders placed for these request ids (idempotency keys), at most {@link #KEYS_PER_LOOKUP}, each with its
     * ETA and ETA history as the car app shows it; a key without a preorder, or a lookup that failed, is absent.
     */
    Map<String, JsonNode> preordersWithKeys(List<String> keys) {
        String query = keys.stream().map(key -> URLEncoder.encode(key, StandardCharsets.UTF_8)).collect(Collectors.joining(","));
        Map<String, JsonNode> found = new HashMap<>();
        get(orders.resolve("/api/preorders/lookup?idempotencyKeys=" + query))
                .ifPresent(page -> page.path("items").forEach(item -> found.put(item.path("idempotencyKey").asString(), item.path("preorder"))));
        return found;
    }

    private static long count(JsonNode stats, String status) {
        JsonNode found = stats.findValue(status);
        return found == null ? 0 : found.asLong();
    }

    private Optional<JsonNode> get(URI uri) {
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                                .header("Authorization", client.authorization()).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 429) {
                    return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
                }
                Thread.sleep(Duration.ofSeconds(response.headers().firstValueAsLong("Retry-After").orElse(1)));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Cumulative counts: placed includes built, scheduled and cancelled, built includes scheduled. */
    record Counts(long placedOnly, long builtOnly, long scheduled, long cancelled) {

        long placed() {
            return placedOnly + builtOnly + scheduled + cancelled;
        }

        Counts minus(Counts baseline) {
            return new Counts(placedOnly - baseline.placedOnly, builtOnly - baseline.builtOnly, scheduled - baseline.scheduled,
                    cancelled - baseline.cancelled);
        }

        long built() {
            return builtOnly + scheduled;
        }
    }
}
