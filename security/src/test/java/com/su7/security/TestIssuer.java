package com.su7.security;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A real Spring Authorization Server on a free port, its clients from Boot's properties: each client's secret is
 * {@code <id>-secret}, its role in the token's {@code roles} claim, and its audience {@code su7-services} unless said
 * otherwise. The services' own tests use the system's authorization server through the local stack.
 */
final class TestIssuer implements AutoCloseable {

    /** A client of the issuer: its role, its tokens' lifetime and audience. */
    record Client(String id, String role, Duration tokenTimeToLive, String audience) {

        Client(String id, String role) {
            this(id, role, Duration.ofMinutes(5), "su7-services");
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;
    private final String uri;

    private TestIssuer(ConfigurableApplicationContext context) {
        this.context = context;
        this.uri = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static TestIssuer start(Client... clients) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "spring.autoconfigure.exclude=" + HttpSecurityAutoConfiguration.class.getName()));
        for (Client client : clients) {
            String prefix = "spring.security.oauth2.authorizationserver.client.%s.".formatted(client.id());
            properties.add(prefix + "registration.client-id=" + client.id());
            properties.add(prefix + "registration.client-secret={noop}" + client.id() + "-secret");
            properties.add(prefix + "registration.client-authentication-methods=client_secret_basic");
            properties.add(prefix + "registration.authorization-grant-types=client_credentials");
            properties.add(prefix + "token.access-token-time-to-live=" + client.tokenTimeToLive().toMillis() + "ms");
            properties.add("test-issuer.%s.role=%s".formatted(client.id(), client.role()));
            properties.add("test-issuer.%s.audience=%s".formatted(client.id(), client.audience()));
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Issuer.class)
                .properties(properties.toArray(String[]::new))
                .run();
        return new TestIssuer(context);
    }

    /** The issuer's URI: the {@code iss} of its tokens (it names itself after the address it was asked at). */
    String uri() {
        return uri;
    }

    String jwkSetUri() {
        return uri + "/oauth2/jwks";
    }

    /** A fresh access token for the client (client-credentials grant). */
    String token(String clientId) {
        return tokenAskedAt("127.0.0.1", clientId);
    }

    /** A token asked for at another name of this host: the issuer names itself after it, and signs with the same key. */
    String tokenAskedAt(String host, String clientId) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri.replace("127.0.0.1", host) + "/oauth2/token"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (clientId + ":" + clientId + "-secret").getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("no token for %s: %d %s".formatted(clientId, response.statusCode(), response.body()));
            }
            return JSON.readTree(response.body()).path("access_token").asString();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the issuer did not answer", e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Issuer {

        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> rolesAndAudience(Environment environment) {
            return context -> {
                if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                    String client = "test-issuer." + context.getRegisteredClient().getClientId();
                    context.getClaims().claim(HttpSecurityAutoConfiguration.ROLES_CLAIM, List.of(environment.getRequiredProperty(client + ".role")))
                            .audience(List.of(environment.getRequiredProperty(client + ".audience")));
                }
            };
        }
    }
}
