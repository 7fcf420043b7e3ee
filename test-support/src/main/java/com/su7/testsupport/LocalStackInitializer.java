package com.su7.testsupport;

import com.su7.localstack.DatabaseAccess;
import com.su7.localstack.LocalStack;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Points a Spring context at the shared local stack: Kafka, the registry, and the database named by
 * {@code local-stack.database} (default: {@code spring.application.name} without {@code -service}).
 */
public class LocalStackInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        LocalStack stack = SharedLocalStack.get();
        ConfigurableEnvironment environment = context.getEnvironment();
        String database = environment.getProperty("local-stack.database",
                environment.getProperty("spring.application.name", "test").replace("-service", "").replace('-', '_'));
        DatabaseAccess access = stack.database(database);
        environment.getPropertySources().addFirst(new MapPropertySource("local-stack", Map.of(
                "spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers(),
                "su7.messaging.registry-url", stack.registryUrl(),
                "spring.datasource.url", access.jdbcUrl(),
                "spring.datasource.username", access.username(),
                "spring.datasource.password", access.password())));
    }
}
