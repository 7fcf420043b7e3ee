package com.su7.delivery;

import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithLocalStack
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
        assertThat(registry.compatibility("delivery.delivery-scheduled-value")).contains("BACKWARD");
    }

    @Test
    void servesPrometheusMetrics() {
        String metrics = RestClient.create("http://127.0.0.1:" + port)
                .get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }
}
