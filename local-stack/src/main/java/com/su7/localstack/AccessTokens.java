package com.su7.localstack;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * One client's access tokens from the authorization server (OAuth2 client credentials): fetched on first use and
 * again before the current one expires, shared by every thread. {@link #renew()} drops the current token, for a
 * caller that got 401 (the server restarted with a new key).
 */
public final class AccessTokens {

    /** A token is renewed this long before it expires, or at 80 % of its life if that is sooner. */
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI tokenUri;
    private final String basicCredentials;
    private String token;
    private Instant renewAt = Instant.MIN;

    public AccessTokens(URI tokenUri, String clientId, String secret) {
        this.tokenUri = tokenUri;
        this.basicCredentials = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The value of an {@code Authorization} header: {@code Bearer <token>}. */
    public String authorization() {
        return "Bearer " + token();
    }

    public synchronized String token() {
        if (token == null || !Instant.now().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    /** Forgets the current token: the next call fetches a new one. */
    public synchronized void renew() {
        token = null;
    }

    private void fetch() {
        Instant requested = Instant.now();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(tokenUri).timeout(Duration.ofSeconds(30))
                            .header("Authorization", basicCredentials)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the authorization server at %s did not answer: %s".formatted(tokenUri, e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching an access token", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the authorization server at %s refused a token: %d %s"
                    .formatted(tokenUri, response.statusCode(), response.body()));
        }
        JsonNode answer = JSON.readTree(response.body());
        Duration lifetime = Duration.ofSeconds(answer.path("expires_in").asLong(60));
        Duration margin = RENEW_BEFORE_EXPIRY.compareTo(lifetime.dividedBy(5)) < 0 ? RENEW_BEFORE_EXPIRY : lifetime.dividedBy(5);
        token = answer.path("access_token").asString();
        renewAt = requested.plus(lifetime).minus(margin);
    }
}
