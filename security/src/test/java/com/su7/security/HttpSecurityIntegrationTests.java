package com.su7.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared HTTP security on a real server with a tiny API: who gets in, and the input limits. The services'
 * own tests check their endpoints' roles.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "su7.security.users.ops.roles=OPS",
        "su7.security.users.busy.roles=OPS",
        "su7.security.users.app.roles=APP",
        "su7.security.app-paths=/api/customer/**",
        "su7.security.max-request-body=1KB",
        "su7.security.rate-limit.requests-per-second=1",
        "su7.security.rate-limit.burst=10",
        "management.endpoints.web.exposure.include=health,info",
        "management.endpoint.health.probes.enabled=true"})
class HttpSecurityIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void passwords(DynamicPropertyRegistry properties) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        for (String user : List.of("ops", "busy", "app")) {
            properties.add("su7.security.users.%s.password".formatted(user), () -> "{bcrypt}" + bcrypt.encode(user + "-secret"));
        }
    }

    @Test
    void refusesAnAnonymousCallerWith401AsProblemDetails() throws Exception {
        HttpResponse<String> response = send(get("/api/ops/data"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"su7\"");
        assertProblem(response, 401, "/api/ops/data");
    }

    @Test
    void refusesAWrongPasswordWith401() throws Exception {
        assertThat(send(as("ops", "not-the-password", get("/api/ops/data"))).statusCode()).isEqualTo(401);
        assertThat(send(as("nobody", "ops-secret", get("/api/ops/data"))).statusCode()).isEqualTo(401);
    }

    @Test
    void letsOpsOntoOpsPathsAndRefusesTheAppClientWith403() throws Exception {
        assertThat(send(as("ops", "ops-secret", get("/api/ops/data"))).statusCode()).isEqualTo(200);

        HttpResponse<String> denied = send(as("app", "app-secret", get("/api/ops/data")));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertProblem(denied, 403, "/api/ops/data");
        assertThat(JSON.readTree(denied.body()).path("detail").asString()).contains("app may not GET /api/ops/data");
    }

    @Test
    void letsTheAppClientCallTheAppPathsAndOpsOnlyReadThem() throws Exception {
        assertThat(send(as("app", "app-secret", post("/api/customer/orders", "{\"a\":1}"))).statusCode()).isEqualTo(200);
        assertThat(send(as("app", "app-secret", get("/api/customer/orders"))).statusCode()).isEqualTo(200);
        assertThat(send(as("ops", "ops-secret", get("/api/customer/orders"))).statusCode()).isEqualTo(200);
        assertThat(send(as("ops", "ops-secret", post("/api/customer/orders", "{\"a\":1}"))).statusCode()).isEqualTo(403);
    }

    @Test
    void showsOnlyHealthToAnonymousCallers() throws Exception {
        assertThat(send(get("/actuator/health")).statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/health/liveness")).statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/health/readiness")).statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/health/diskSpace")).statusCode()).isEqualTo(401);
        assertThat(send(get("/actuator/prometheus")).statusCode()).isEqualTo(401);
        assertThat(send(get("/actuator/info")).statusCode()).isEqualTo(401);
        assertThat(send(as("app", "app-secret", get("/actuator/prometheus"))).statusCode()).isEqualTo(403);
        assertThat(send(as("ops", "ops-secret", get("/actuator/info"))).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesABodyOverTheLimitWith413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String big = "{\"a\":\"" + "x".repeat(2000) + "\"}";

        HttpResponse<String> declared = send(as("app", "app-secret", post("/api/customer/orders", big)));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertProblem(declared, 413, "/api/customer/orders");

        HttpResponse<String> chunked = send(as("app", "app-secret", chunkedPost("/api/customer/orders", big)));
        assertThat(chunked.statusCode()).isEqualTo(413);

        HttpResponse<String> smallChunked = send(as("app", "app-secret", chunkedPost("/api/customer/orders", "{\"a\":2}")));
        assertThat(smallChunked.statusCode()).isEqualTo(200);
        assertThat(smallChunked.body()).contains("\"a\":2");
    }

    @Test
    void refusesAClientOverItsRateWith429AndRetryAfterWithoutSlowingOthers() throws Exception {
        // A burst of 10, then 1 per second: requests faster than that are soon refused.
        HttpResponse<String> last = null;
        for (int i = 0; i < 100 && (last == null || last.statusCode() == 200); i++) {
            last = send(as("busy", "busy-secret", get("/api/ops/data")));
        }

        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertProblem(last, 429, "/api/ops/data");
        assertThat(send(as("ops", "ops-secret", get("/api/ops/data"))).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAPasswordThatIsNotAHash() {
        HttpSecurityProperties properties = new HttpSecurityProperties(
                Map.of("ops", new HttpSecurityProperties.Client("{noop}plain", List.of("OPS"))), List.of(), DataSize.ofKilobytes(1),
                new HttpSecurityProperties.RateLimit(1, 1));

        assertThatThrownBy(() -> new HttpSecurityAutoConfiguration().clients(properties))
                .hasMessageContaining("su7.security.users.ops.password must be a hash");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String instance) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
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

    private static HttpRequest.Builder as(String user, String password, HttpRequest.Builder request) {
        return request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootApplication
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
