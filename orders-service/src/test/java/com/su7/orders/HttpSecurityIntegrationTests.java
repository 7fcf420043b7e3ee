package com.su7.orders;

import com.su7.localstack.HttpClientCredentials;
import com.su7.testsupport.SharedLocalStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may call orders-service: the app client places and reads preorders, ops read them and run the rest. */
@OrdersIntegrationTest
class HttpSecurityIntegrationTests {

    private static final Map<String, Object> PREORDER = Map.of("customerId", "c-security", "variant", "SU7",
            "exteriorColor", "Aqua Blue", "deliveryCity", "Shanghai", "deposit", 5000, "channel", "APP");

    @LocalServerPort
    int port;

    Http app;
    Http ops;
    Http anonymous;

    @BeforeEach
    void clients() {
        app = new Http(port);
        ops = new Http(port, SharedLocalStack.get().httpClient(HttpClientCredentials.OPS));
        anonymous = new Http(port, null);
    }

    @Test
    void refusesAnAnonymousOrWrongPasswordCallerWith401ProblemDetails() {
        Http.Response response = anonymous.post("/api/preorders", "security-anonymous", PREORDER);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.body().path("status").asInt()).isEqualTo(401);
        assertThat(response.headers().getFirst("WWW-Authenticate")).startsWith("Basic");

        Http wrongPassword = new Http(port, new HttpClientCredentials("app", "APP", "guessed", ""));
        assertThat(wrongPassword.get("/api/preorders/stats").status()).isEqualTo(401);
    }

    @Test
    void letsOpsReadPreordersButNotPlaceThem() {
        assertThat(ops.get("/api/preorders/stats").status()).isEqualTo(200);

        Http.Response placed = ops.post("/api/preorders", "security-ops", PREORDER);
        assertThat(placed.status()).isEqualTo(403);
        assertThat(placed.contentType()).isEqualTo("application/problem+json");
        assertThat(placed.body().path("detail").asString()).contains("ops may not POST /api/preorders");
    }

    @Test
    void keepsOpsEndpointsActuatorAndApiDocsFromTheAppClient() {
        assertThat(app.get("/api/preorders/stats").status()).isEqualTo(200);
        assertThat(app.get("/actuator/prometheus").status()).isEqualTo(403);
        assertThat(app.get("/v3/api-docs").status()).isEqualTo(403);
        assertThat(app.get("/api/orders/ops/anything").status()).isEqualTo(403);
    }

    @Test
    void showsOnlyHealthToAnonymousCallers() {
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/preorders/stats").status()).isEqualTo(401);
    }

    @Test
    void refusesABodyOverTheLimitWith413() {
        Http.Response response = app.post("/api/preorders", "security-large", "{\"customerId\":\"" + "x".repeat(70_000) + "\"}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.body().path("detail").asString()).contains("at most 65536 bytes");
    }
}
