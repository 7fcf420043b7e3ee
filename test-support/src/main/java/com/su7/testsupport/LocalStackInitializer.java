package com.su7.testsupport;

import com.su7.localstack.DatabaseAccess;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a Spring context at the shared local stack: Kafka (as its admin user), the registry, the database named by
 * {@code local-stack.database} (default: {@code spring.application.name} without {@code -service}), and the
 * stack's authorization server as the issuer of the access tokens it accepts (the clients {@code ops} and {@code app}
 * get theirs from {@code stack.accessTokens(name)}).
 */
public class LocalStackInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        LocalStack stack = SharedLocalStack.get();
        ConfigurableEnvironment environment = context.getEnvironment();
        String database = environment.getProperty("local-stack.database",
                environment.getProperty("spring.application.name", "test").replace("-service", "").replace('-', '_'));
        DatabaseAccess access = stack.database(database);
        Map<String, Object> kafka = stack.kafkaClientSettings(KafkaPrincipal.ADMIN);
        Map<String, Object> properties = new HashMap<>(Map.of(
                "spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers(),
                // The admin (super user): a test context also plays the other services, producing their events.
                "spring.kafka.security.protocol", kafka.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG),
                "spring.kafka.properties.sasl.mechanism", kafka.get(SaslConfigs.SASL_MECHANISM),
                "spring.kafka.properties.sasl.jaas.config", kafka.get(SaslConfigs.SASL_JAAS_CONFIG),
                "su7.messaging.registry-url", stack.registryUrl(),
                "spring.datasource.url", access.jdbcUrl(),
                "spring.datasource.username", access.username(),
                "spring.datasource.password", access.password()));
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", stack.oauth2IssuerUri());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", stack.oauth2JwkSetUri());
        // Spans are made and propagated (WithLocalStack) but not sent: the shared stack runs no Zipkin.
        properties.put("management.tracing.export.zipkin.enabled", "false");
        environment.getPropertySources().addFirst(new MapPropertySource("local-stack", properties));
    }
}
