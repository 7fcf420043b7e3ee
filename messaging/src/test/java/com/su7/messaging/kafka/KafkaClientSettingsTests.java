package com.su7.messaging.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientSettingsTests {

    @Test
    void keepsTheShortSessionOfADynamicMember() {
        Map<String, Object> consumer = consumerConfigs(Map.of());

        assertThat(consumer).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void letsAStaticMemberKeepTheSessionItWasGivenSoARestartedPodGetsItsPartitionsBackWithoutARebalance() {
        // What a pod's environment says (deploy/): its name as its static identity, a session that outlasts a restart.
        Map<String, Object> consumer = consumerConfigs(Map.of(
                "SPRING_KAFKA_CONSUMER_PROPERTIES_GROUP_INSTANCE_ID", "orders-service-1",
                "SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "45000",
                "SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "5000"));

        assertThat(consumer).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "orders-service-1")
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000")
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "5000")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    /** The consumer factory as Spring Boot builds it from the environment, then as the messaging module adjusts it. */
    private static Map<String, Object> consumerConfigs(Map<String, Object> environment) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        KafkaProperties properties = new Binder(ConfigurationPropertySources.from(sources))
                .bindOrCreate("spring.kafka", KafkaProperties.class);
        DefaultKafkaConsumerFactory<Object, Object> factory = new DefaultKafkaConsumerFactory<>(properties.buildConsumerProperties());
        factory.updateConfigs(KafkaClientSettings.rawBytesConsumer(factory.getConfigurationProperties()));
        return factory.getConfigurationProperties();
    }
}
