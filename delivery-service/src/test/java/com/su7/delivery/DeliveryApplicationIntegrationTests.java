package com.su7.delivery;

import com.su7.localstack.HttpClientCredentials;
import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.testsupport.AsClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@DeliveryIntegrationTest
class DeliveryApplicationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    ConfluentRegistryClient registry;

    @Test
    void isReadyWithItsDatabaseKafkaAndTheRegistry() {
        String readiness = RestClient.create("http://127.0.0.1:" + port)
                .get().uri("/actuator/health/readiness").retrieve().body(String.class);
        assertThat(readiness).contains("\"status\":\"UP\"");
    }

    @Test
    void registersTheSchemaOfWhatItPublishesAtStartUp() {
        assertThat(registry.subjectExists("delivery.delivery-scheduled-value")).isTrue();
        assertThat(registry.compatibility("delivery.delivery-scheduled-value")).contains("FULL_TRANSITIVE");
    }

    @Test
    void servesPrometheusMetrics() {
        String metrics = asOps()
                .get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void describesItsApiWithOpenApi() {
        String docs = asOps()
                .get().uri("/v3/api-docs").retrieve().body(String.class);
        assertThat(docs).contains("/api/delivery/centers/{city}", "/api/delivery/preorders/{preorderId}", "/api/delivery/centers/summary",
                "/api/delivery/centers/{city}/capacity-preview", "What a centre's new daily capacity would do to its hand-overs");
    }

    private RestClient asOps() {
        return AsClient.restClient(port, HttpClientCredentials.OPS).build();
    }
}
