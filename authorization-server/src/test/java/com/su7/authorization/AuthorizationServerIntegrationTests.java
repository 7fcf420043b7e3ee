package com.su7.authorization;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token endpoint as the system's clients and a guesser meet it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "su7.authorization.clients.app.secret=" + AuthorizationServerIntegrationTests.APP_SECRET,
        "su7.authorization.clients.app.roles=APP",
        "su7.authorization.clients.ops.secret=" + AuthorizationServerIntegrationTests.OPS_SECRET,
        "su7.authorization.clients.ops.roles=OPS",
        "su7.authorization.token-time-to-live=2m",
        "su7.security.failed-authentications.burst=10",
        "su7.security.failed-authentications.per-second=1",
        "spring.security.oauth2.authorizationserver.issuer=http://issuer.test"})
class AuthorizationServerIntegrationTests {

    static final String APP_SECRET = "0123456789abcdef0123456789abcdef";
    static final String OPS_SECRET = "fedcba9876543210fedcba9876543210";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void issuesAClientATokenWithItsRolesAudienceIssuerAndLifetime() throws Exception {
        HttpResponse<String> response = token(HttpClient.newHttpClient(), "app", APP_SECRET);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(answer.path("expires_in").asLong()).isBetween(110L, 120L);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(answer.path("access_token").asString().split("\\.")[1]));
        assertThat(claims.path("sub").asString()).isEqualTo("app");
        assertThat(claims.path("iss").asString()).isEqualTo("http://issuer.test");
        assertThat(claims.path("aud").asString()).isEqualTo("su7-services");
        assertThat(claims.path("roles").get(0).asString()).isEqualTo("APP");
        assertThat(Instant.ofEpochSecond(claims.path("exp").asLong())).isAfter(Instant.now().plusSeconds(100));
    }

    @Test
    void answersAWrongSecretAndAnUnknownClientAlike() throws Exception {
        HttpClient guesser = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.3")).build();
        HttpResponse<String> wrongSecret = token(guesser, "ops", APP_SECRET);
        HttpResponse<String> unknownClient = token(guesser, "nobody", OPS_SECRET);

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(unknownClient.statusCode()).isEqualTo(401);
        assertThat(unknownClient.body()).isEqualTo(wrongSecret.body()).contains("invalid_client");
    }

    @Test
    void refusesAnAddressThatKeepsGuessingWith429() throws Exception {
        HttpClient guesser = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.4")).build();
        HttpResponse<String> last = null;
        for (int i = 0; i < 50 && (last == null || last.statusCode() == 401); i++) {
            last = token(guesser, "ops", "guess-" + i);
        }

        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(token(guesser, "ops", OPS_SECRET).statusCode()).as("even the right secret, from that address").isEqualTo(429);
        assertThat(token(HttpClient.newHttpClient(), "ops", OPS_SECRET).statusCode()).as("from another address").isEqualTo(200);
    }

    @Test
    void refusesToStartWithoutAClientOrWithAShortSecret() {
        assertThatThrownBy(() -> SpringApplication.run(AuthorizationServerApplication.class, "--server.port=0"))
                .hasStackTraceContaining("No client has a secret");
        assertThatThrownBy(() -> SpringApplication.run(AuthorizationServerApplication.class, "--server.port=0",
                "--su7.authorization.clients.app.secret=short", "--su7.authorization.clients.app.roles=APP"))
                .hasStackTraceContaining("su7.authorization.clients.app.secret has fewer than 24 characters");
    }

    private HttpResponse<String> token(HttpClient http, String clientId, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
