package com.su7.messaging.health;

import com.su7.messaging.registry.ConfluentRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Health of the two things every service needs besides its database: the Kafka cluster and the registry. */
@AutoConfiguration
@ConditionalOnClass(HealthIndicator.class)
public class MessagingHealthConfiguration {

    private static final int TIMEOUT_MS = 3000;

    @Bean(destroyMethod = "close")
    Admin healthAdmin(KafkaAdmin kafkaAdmin) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "health");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        return Admin.create(config);
    }

    @Bean
    HealthIndicator kafkaHealthIndicator(Admin healthAdmin) {
        return () -> {
            try {
                DescribeClusterResult cluster = healthAdmin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
                int nodes = cluster.nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
                return Health.up().withDetail("clusterId", cluster.clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                        .withDetail("brokers", nodes).build();
            } catch (Exception e) {
                return Health.down(e).build();
            }
        };
    }

    @Bean
    HealthIndicator schemaRegistryHealthIndicator(ConfluentRegistryClient registry) {
        return () -> {
            try {
                return Health.up().withDetail("defaultCompatibility", registry.globalCompatibility()).build();
            } catch (RuntimeException e) {
                return Health.down(e).build();
            }
        };
    }
}
