package com.su7.delivery;

import com.su7.localstack.HttpClientCredentials;
import com.su7.testsupport.SharedLocalStack;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Every delivery endpoint is an ops endpoint: the centres, their capacity, the schedule's projection. */
@DeliveryIntegrationTest
class HttpSecurityIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void refusesAnAnonymousCallerWith401ProblemDetails() {
        ResponseEntity<String> response = client(null).get().uri("/api/delivery/centers").retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody()).contains("\"status\":401");
        assertThat(status(client(new HttpClientCredentials("ops", "OPS", "guessed", "")).get().uri("/api/delivery/centers")))
                .isEqualTo(401);
    }

    @Test
    void refusesTheAppClientOnOpsEndpointsWith403() {
        RestClient app = client(SharedLocalStack.get().httpClient(HttpClientCredentials.APP));

        ResponseEntity<String> raise = app.put().uri("/api/delivery/centers/Shanghai").contentType(MediaType.APPLICATION_JSON)
                .body("{\"dailyCapacity\":400,\"changedBy\":\"app\",\"reason\":\"not mine to change\"}")
                .retrieve().toEntity(String.class);
        assertThat(raise.getStatusCode().value()).isEqualTo(403);
        assertThat(raise.getHeaders().getContentType()).hasToString("application/problem+json");

        assertThat(status(app.get().uri("/api/delivery/centers"))).isEqualTo(403);
        assertThat(status(app.get().uri("/actuator/prometheus"))).isEqualTo(403);
    }

    @Test
    void letsOpsReadAndShowsOnlyHealthToAnonymousCallers() {
        assertThat(status(DeliveryTestSupport.client(port).get().uri("/api/delivery/centers"))).isEqualTo(200);
        assertThat(status(client(null).get().uri("/actuator/health/readiness"))).isEqualTo(200);
        assertThat(status(client(null).get().uri("/actuator/prometheus"))).isEqualTo(401);
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
