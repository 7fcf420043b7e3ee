package com.su7.system;

import com.su7.localstack.AccessTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A JSON HTTP client for the services' public APIs: it reads as ops (who may read every API) and places
 * preorders as the car app's backend, with access tokens from the authorization server of the stack the system
 * runs on (renewed before they expire, and once more after a 401: a restarted issuer signs with a new key).
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static volatile AccessTokens ops;
    private static volatile AccessTokens app;

    private Api() {
    }

    /** {@link RunningSystem} calls this with its stack's clients before anyone calls the services. */
    static void useClients(AccessTokens opsClient, AccessTokens appClient) {
        ops = opsClient;
        app = appClient;
    }

    static Optional<JsonNode> get(URI uri) {
        HttpResponse<String> response = send(ops, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)));
        return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    }

    /** Who calls: ops and the car app's backend with their tokens, or anyone without one. */
    enum Caller { OPS, APP, ANONYMOUS }

    /** A GET as the caller, whatever it answers: what health shows depends on who asks. */
    static HttpResponse<String> get(URI uri, Caller caller) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        return switch (caller) {
            case OPS -> send(ops, request);
            case APP -> send(app, request);
            case ANONYMOUS -> send(request.build());
        };
    }

    static String getText(URI uri) {
        HttpResponse<String> response = send(ops, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET %s answered %d".formatted(uri, response.statusCode()));
        }
        return response.body();
    }

    static HttpResponse<String> post(URI uri, String idempotencyKey, Object body) {
        return send(app, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** A PUT of a JSON body: an ops change (a capacity), as ops. */
    static HttpResponse<String> put(URI uri, Object body) {
        return send(ops, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** A POST without a body: an ops command, as ops. */
    static HttpResponse<String> post(URI uri) {
        return send(ops, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> send(AccessTokens client, HttpRequest.Builder request) {
        HttpResponse<String> response = send(request.setHeader("Authorization", client.authorization()).build());
        if (response.statusCode() != 401) {
            return response;
        }
        client.renew();
        return send(request.setHeader("Authorization", client.authorization()).build());
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
