package com.su7.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared HTTP security on a real server with a tiny API and real authorization servers issuing its tokens: who
 * gets in, why a refusal was made, and the input limits. The services' own tests check their endpoints' roles.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "su7.security.app-paths=/api/customer/**",
        "su7.security.max-request-body=1KB",
        "su7.security.rate-limit.requests-per-second=1",
        "su7.security.rate-limit.burst=10",
        "su7.security.failed-authentications.burst=20",
        "su7.security.failed-authentications.per-second=1",
        "su7.security.token-clock-skew=0s",
        "spring.security.oauth2.resourceserver.jwt.audiences=su7-services",
        "management.endpoints.web.exposure.include=health,info",
        "management.endpoint.health.probes.enabled=true"})
class HttpSecurityIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final TestIssuer ISSUER = TestIssuer.start(
            new TestIssuer.Client("ops", "OPS"), new TestIssuer.Client("busy", "OPS"), new TestIssuer.Client("app", "APP"),
            // exp is in whole seconds: a token asked for 3 s lives 2 to 3 s, long enough to be used once first.
            new TestIssuer.Client("brief", "OPS", Duration.ofSeconds(3), "su7-services"),
            new TestIssuer.Client("elsewhere", "OPS", Duration.ofMinutes(5), "another-api"));
    private static final TestIssuer ANOTHER_ISSUER = TestIssuer.start(new TestIssuer.Client("ops", "OPS"));

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry properties) {
        properties.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::uri);
        properties.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
    }

    @AfterAll
    static void stopIssuers() {
        ISSUER.close();
        ANOTHER_ISSUER.close();
    }

    @Test
    void refusesAnAnonymousCallerWith401ABearerChallengeAndProblemDetails() throws Exception {
        HttpResponse<String> response = send(get("/api/ops/data"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer").doesNotContain("error=");
        assertProblem(response, 401, "/api/ops/data");
    }

    @Test
    void refusesAForgedTokenSayingItIsInvalid() throws Exception {
        String token = ISSUER.token("ops");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";

        HttpResponse<String> response = send(bearer(forged, get("/api/ops/data")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer").contains("error=\"invalid_token\""));
        assertProblem(response, 401, "/api/ops/data");
    }

    @Test
    void refusesATokenOfAnotherIssuer() throws Exception {
        // Signed with the trusted key, but naming another issuer: only the issuer check can refuse it.
        HttpResponse<String> sameKey = send(bearer(ISSUER.tokenAskedAt("localhost", "ops"), get("/api/ops/data")));
        HttpResponse<String> otherKey = send(bearer(ANOTHER_ISSUER.token("ops"), get("/api/ops/data")));

        assertThat(sameKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(sameKey.body()).path("detail").asString()).contains("iss");
        assertThat(otherKey.statusCode()).isEqualTo(401);
        assertThat(otherKey.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    }

    @Test
    void refusesATokenMeantForAnotherAudience() throws Exception {
        HttpResponse<String> response = send(bearer(ISSUER.token("elsewhere"), get("/api/ops/data")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("detail").asString()).contains("aud");
    }

    @Test
    void refusesATokenOnceItHasExpired() throws Exception {
        String token = ISSUER.token("brief");
        assertThat(send(bearer(token, get("/api/ops/data"))).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> expired = send(bearer(token, get("/api/ops/data")));
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
            assertThat(JSON.readTree(expired.body()).path("detail").asString()).containsIgnoringCase("expired");
        });
    }

    @Test
    void letsOpsOntoOpsPathsAndRefusesTheAppClientWith403() throws Exception {
        assertThat(send(bearer(ISSUER.token("ops"), get("/api/ops/data"))).statusCode()).isEqualTo(200);

        HttpResponse<String> denied = send(bearer(ISSUER.token("app"), get("/api/ops/data")));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
        assertProblem(denied, 403, "/api/ops/data");
        assertThat(JSON.readTree(denied.body()).path("detail").asString()).contains("app may not GET /api/ops/data");
    }

    @Test
    void letsTheAppClientCallTheAppPathsAndOpsOnlyReadThem() throws Exception {
        String app = ISSUER.token("app");
        String ops = ISSUER.token("ops");
        assertThat(send(bearer(app, post("/api/customer/orders", "{\"a\":1}"))).statusCode()).isEqualTo(200);
        assertThat(send(bearer(app, get("/api/customer/orders"))).statusCode()).isEqualTo(200);
        assertThat(send(bearer(ops, get("/api/customer/orders"))).statusCode()).isEqualTo(200);
        assertThat(send(bearer(ops, post("/api/customer/orders", "{\"a\":1}"))).statusCode()).isEqualTo(403);
    }

    @Test
    void showsOnlyHealthToAnonymousCallers() throws Exception {
        assertThat(send(get("/actuator/health")).statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/health/liveness")).statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/health/readiness")).statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/health/diskSpace")).statusCode()).isEqualTo(401);
        assertThat(send(get("/actuator/info")).statusCode()).isEqualTo(401);
        assertThat(send(bearer(ISSUER.token("app"), get("/actuator/info"))).statusCode()).isEqualTo(403);
        assertThat(send(bearer(ISSUER.token("ops"), get("/actuator/info"))).statusCode()).isEqualTo(200);
    }

    @Test
    void answersAnInvalidRequestThatGotInWithTheSharedProblemDialect() throws Exception {
        HttpResponse<String> response = send(bearer(ISSUER.token("app"), post("/api/customer/orders", "{not json")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, 400, "/api/customer/orders");
        assertThat(JSON.readTree(response.body()).path("errors").get(0).path("field").asString()).isEqualTo("body");
    }

    @Test
    void refusesABodyOverTheLimitWith413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String app = ISSUER.token("app");
        String big = "{\"a\":\"" + "x".repeat(2000) + "\"}";

        HttpResponse<String> declared = send(bearer(app, post("/api/customer/orders", big)));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertProblem(declared, 413, "/api/customer/orders");

        HttpResponse<String> chunked = send(bearer(app, chunkedPost("/api/customer/orders", big)));
        assertThat(chunked.statusCode()).isEqualTo(413);

        HttpResponse<String> smallChunked = send(bearer(app, chunkedPost("/api/customer/orders", "{\"a\":2}")));
        assertThat(smallChunked.statusCode()).isEqualTo(200);
        assertThat(smallChunked.body()).contains("\"a\":2");
    }

    @Test
    void refusesAClientOverItsRateWith429AndRetryAfterWithoutSlowingOthers() throws Exception {
        String busy = ISSUER.token("busy");
        // A burst of 10, then 1 per second: requests faster than that are soon refused.
        HttpResponse<String> last = null;
        for (int i = 0; i < 100 && (last == null || last.statusCode() == 200); i++) {
            last = send(bearer(busy, get("/api/ops/data")));
        }

        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertProblem(last, 429, "/api/ops/data");
        assertThat(send(bearer(ISSUER.token("ops"), get("/api/ops/data"))).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAnAddressThatKeepsFailingToAuthenticateBeforeLookingAtItsToken() throws Exception {
        // From an address of its own (all of 127/8 is loopback), so the other tests' refusals do not count.
        HttpClient guesser = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.7")).build();
        String valid = ISSUER.token("ops");
        HttpResponse<String> last = null;
        for (int i = 0; i < 100 && (last == null || last.statusCode() == 401); i++) {
            last = guesser.send(bearer("guess-" + i, get("/api/ops/data")).build(), HttpResponse.BodyHandlers.ofString());
        }

        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertProblem(last, 429, "/api/ops/data");
        assertThat(guesser.send(bearer(valid, get("/api/ops/data")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("even a valid token, while the address is over its budget").isEqualTo(429);
        assertThat(send(bearer(valid, get("/api/ops/data"))).statusCode()).as("from another address").isEqualTo(200);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String instance) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).startsWith(ProblemType.SCHEME);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank();
        assertThat(problem.path("instance").asString()).isEqualTo(instance);
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private HttpRequest.Builder post(String path, String json) {
        return get(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /** No Content-Length: the body streams in chunks. */
    private HttpRequest.Builder chunkedPost(String path, String json) {
        return get(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    private static HttpRequest.Builder bearer(String token, HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootApplication(excludeName = {
            "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration"})
    @RestController
    static class TestApplication {

        @GetMapping("/api/ops/data")
        Map<String, String> opsData() {
            return Map.of("plan", "ramp");
        }

        @GetMapping("/api/customer/orders")
        Map<String, String> orders() {
            return Map.of("orders", "none");
        }

        @PostMapping("/api/customer/orders")
        Map<String, Object> place(@RequestBody Map<String, Object> order) {
            return order;
        }
    }
}
