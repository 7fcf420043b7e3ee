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
import java.util.Optional;

/** Reads what the system shows: orders-service's counts by status and a customer's preorder with its ETA history. */
final class SystemProbe {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        return new Counts(count(stats, "PLACED"), count(stats, "BUILT"), count(stats, "DELIVERY_SCHEDULED"));
    }

    /** The customer's preorder with its ETA and ETA history, as the car app shows it. */
    Optional<JsonNode> preorderOf(String customerId) {
        return get(orders.resolve("/api/preorders?customerId=" + URLEncoder.encode(customerId, StandardCharsets.UTF_8)))
                .flatMap(page -> {
                    JsonNode items = page.isArray() ? page : page.path("content").isArray() ? page.path("content") : page.path("items");
                    return items.isArray() && !items.isEmpty() ? Optional.of(items.get(0)) : Optional.empty();
                })
                .flatMap(summary -> get(orders.resolve("/api/preorders/" + summary.path("id").asString())));
    }

    private static long count(JsonNode stats, String status) {
        JsonNode found = stats.findValue(status);
        return found == null ? 0 : found.asLong();
    }

    private Optional<JsonNode> get(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Authorization", client.authorization()).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Cumulative counts: placed includes built and scheduled, built includes scheduled. */
    record Counts(long placedOnly, long builtOnly, long scheduled) {

        long placed() {
            return placedOnly + builtOnly + scheduled;
        }

        long built() {
            return builtOnly + scheduled;
        }
    }
}
