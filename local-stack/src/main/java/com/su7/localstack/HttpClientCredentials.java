package com.su7.localstack;

import java.util.List;

/**
 * A client of the services' HTTP APIs with a secret generated at every start: the authorization server knows it,
 * the client (curl, the launch simulation, tests) trades it for access tokens ({@link AccessTokens}); the services
 * never see it.
 *
 * @param clientId the OAuth2 client id, also the name of its secret's file
 * @param role     {@code OPS} or {@code APP}, the {@code roles} claim of its tokens
 */
public record HttpClientCredentials(String clientId, String role, String secret) {

    /** Ops people and tools, and the car app's backend. */
    public static final String OPS = "ops";
    public static final String APP = "app";

    static List<HttpClientCredentials> generate() {
        return List.of(generate(OPS, "OPS"), generate(APP, "APP"));
    }

    private static HttpClientCredentials generate(String clientId, String role) {
        return new HttpClientCredentials(clientId, role, Secrets.random());
    }

    @Override
    public String toString() {
        return "HttpClientCredentials[clientId=%s, role=%s, secret=***]".formatted(clientId, role);
    }
}
