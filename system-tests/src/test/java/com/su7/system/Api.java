package com.su7.system;

import com.su7.localstack.HttpClientCredentials;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A JSON HTTP client for the services' public APIs: it reads as ops (who may read every API) and places
 * preorders as the car app's backend, with the credentials of the stack the system runs on.
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static volatile HttpClientCredentials ops;
    private static volatile HttpClientCredentials app;

    private Api() {
    }

    /** {@link RunningSystem} calls this with its stack's clients before anyone calls the services. */
    static void useClients(HttpClientCredentials opsClient, HttpClientCredentials appClient) {
        ops = opsClient;
        app = appClient;
    }

    static Optional<JsonNode> get(URI uri) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(ops)).build());
        return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    }

    static String getText(URI uri) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(ops)).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET %s answered %d".formatted(uri, response.statusCode()));
        }
        return response.body();
    }

    static HttpResponse<String> post(URI uri, String idempotencyKey, Object body) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", basic(app))
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    /** A PUT of a JSON body: an ops change (a capacity), as ops. */
    static HttpResponse<String> put(URI uri, Object body) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", basic(ops))
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    /** A POST without a body: an ops command, as ops. */
    static HttpResponse<String> post(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", basic(ops))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String basic(HttpClientCredentials client) {
        return "Basic " + Base64.getEncoder().encodeToString((client.username() + ":" + client.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("%s %s failed: %s".formatted(request.method(), request.uri(), e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
