package com.su7.production;

import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.production.support.IntegrationTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class ProductionApplicationIntegrationTests extends IntegrationTestBase {

    @Autowired
    ConfluentRegistryClient registry;

    @Test
    void isReadyWithItsDatabaseKafkaAndTheRegistry() {
        String readiness = plant.http().get().uri("/actuator/health/readiness").retrieve().body(String.class);
        assertThat(readiness).contains("\"status\":\"UP\"");
    }

    @Test
    void registersTheSchemaOfWhatItPublishesAtStartUp() {
        assertThat(registry.subjectExists("production.unit-built-value")).isTrue();
        assertThat(registry.compatibility("production.unit-built-value")).contains("FULL_TRANSITIVE");
    }

    @Test
    void servesPrometheusMetrics() {
        String metrics = plant.http().get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics).contains("jvm_memory_used_bytes", "su7_production_queue_length");
    }

    @Test
    void servesItsOpenApiDescription() {
        String api = plant.http().get().uri("/v3/api-docs").retrieve().body(String.class);
        assertThat(api).contains("/api/production/capacity-plan", "/api/production/capacity-plan/preview", "/api/production/units",
                "/api/production/summary", "What a capacity plan change would do to the queue's dates");
    }
}
