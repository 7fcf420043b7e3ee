package com.su7.production;

import com.su7.localstack.HttpClientCredentials;
import com.su7.production.support.IntegrationTestBase;
import com.su7.testsupport.SharedLocalStack;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every production endpoint is an ops endpoint: the plan, the unit feed, the summary and the projection. */
class HttpSecurityIntegrationTests extends IntegrationTestBase {

    @Test
    void refusesAnAnonymousCallerWith401ProblemDetails() {
        ResponseEntity<String> response = client(null).post().uri("/api/production/units")
                .contentType(MediaType.APPLICATION_JSON).body("{\"preorderId\":\"%s\"}".formatted(UUID.randomUUID()))
                .retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody()).contains("\"status\":401");
    }

    @Test
    void refusesTheAppClientOnOpsEndpointsWith403() {
        RestClient app = client(SharedLocalStack.get().httpClient(HttpClientCredentials.APP));

        ResponseEntity<String> plan = app.put().uri("/api/production/capacity-plan").contentType(MediaType.APPLICATION_JSON)
                .body("{\"periods\":[{\"from\":\"2026-01-01\",\"unitsPerDay\":10}],\"changedBy\":\"app\",\"reason\":\"no\"}")
                .retrieve().toEntity(String.class);
        assertThat(plan.getStatusCode().value()).isEqualTo(403);
        assertThat(plan.getHeaders().getContentType()).hasToString("application/problem+json");

        assertThat(status(app.post().uri("/api/production/units").contentType(MediaType.APPLICATION_JSON)
                .body("{\"preorderId\":\"%s\"}".formatted(UUID.randomUUID())))).isEqualTo(403);
        assertThat(status(app.get().uri("/api/production/summary"))).isEqualTo(403);
        assertThat(status(app.get().uri("/api/production/capacity-plan"))).isEqualTo(403);
        assertThat(status(app.get().uri("/actuator/prometheus"))).isEqualTo(403);
    }

    @Test
    void letsOpsReadAndShowsOnlyHealthToAnonymousCallers() {
        assertThat(status(plant.http().get().uri("/api/production/capacity-plan"))).isEqualTo(200);
        assertThat(status(client(null).get().uri("/actuator/health/readiness"))).isEqualTo(200);
        assertThat(status(client(null).get().uri("/actuator/prometheus"))).isEqualTo(401);
        assertThat(status(client(new HttpClientCredentials("ops", "OPS", "guessed", "")).get().uri("/api/production/summary")))
                .isEqualTo(401);
    }

    private RestClient client(HttpClientCredentials client) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { });
        if (client != null) {
            builder.defaultHeaders(headers -> headers.setBasicAuth(client.username(), client.password()));
        }
        return builder.build();
    }

    private static int status(RestClient.RequestHeadersSpec<?> request) {
        return request.retrieve().toBodilessEntity().getStatusCode().value();
    }
}
