package com.su7.messaging.health;

import com.su7.messaging.registry.ConfluentRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import com.su7.messaging.MessagingAutoConfiguration;
import com.su7.messaging.inbox.ConsumerCircuit;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import com.su7.messaging.outbox.OutboxBacklog;
import com.su7.messaging.outbox.OutboxProperties;
import com.su7.messaging.outbox.OutboxRelay;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Health of the two things every service needs besides its database (the Kafka cluster and the registry), and of
 * the service's consumers: {@code DEGRADED} while a consumer's circuit is open. DEGRADED ranks between
 * OUT_OF_SERVICE and UP and answers 200: the service still serves (its reads, its REST placements), one of its
 * consumers is waiting for a cause to go away, and ops should look.
 */
@AutoConfiguration(after = MessagingAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
public class MessagingHealthConfiguration {

    public static final Status DEGRADED = new Status("DEGRADED", "the service serves, but part of its messaging needs ops");
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
    HealthIndicator consumersHealthIndicator(EventInbox inbox) {
        return () -> {
            Map<String, Object> details = new TreeMap<>();
            boolean anyOpen = false;
            for (InboxConsumer<?> consumer : inbox.consumers()) {
                ConsumerCircuit.State state = consumer.circuit().state();
                anyOpen |= state.open();
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("circuit", state.open() ? "open" : "closed");
                if (state.consecutiveFailures() > 0) {
                    detail.put("consecutiveFailures", state.consecutiveFailures());
                    detail.put("failingSince", String.valueOf(state.failingSince()));
                    detail.put("lastFailure", state.lastFailure());
                }
                details.put(consumer.name(), detail);
            }
            return Health.status(anyOpen ? DEGRADED : Status.UP).withDetails(details).build();
        };
    }

    /**
     * The outbox relay: DEGRADED while rows are set aside (they hold their keys' later events), while the oldest
     * waiting row is older than {@code su7.messaging.outbox.stale-after}, or while the relay has failed that long.
     * The figures are the latest measurement ({@link OutboxBacklog}), so a health check costs no query.
     */
    @Bean
    HealthIndicator outboxHealthIndicator(OutboxBacklog backlog, OutboxRelay relay, OutboxProperties properties) {
        return () -> {
            Map<String, Object> details = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            OutboxBacklog.Measure measure = backlog.last();
            if (measure != null) {
                details.put("waiting", measure.waiting());
                details.put("oldestAgeSeconds", measure.oldestAge().toSeconds());
                details.put("setAside", measure.setAside());
                details.put("measuredAt", measure.measuredAt().toString());
                if (measure.setAside() > 0) {
                    problems.add("%d rows set aside (GET /api/outbox)".formatted(measure.setAside()));
                }
                if (measure.oldestAge().compareTo(properties.staleAfter()) > 0) {
                    problems.add("the oldest row has waited %d s".formatted(measure.oldestAge().toSeconds()));
                }
            }
            OutboxRelay.Failing failing = relay.failing();
            if (failing != null) {
                details.put("failingSince", failing.since().toString());
                details.put("failedAttempts", failing.attempts());
                details.put("lastFailure", failing.lastFailure());
                if (Duration.between(failing.since(), Instant.now()).compareTo(properties.staleAfter()) > 0) {
                    problems.add("publishing has failed since " + failing.since());
                }
            }
            if (!problems.isEmpty()) {
                details.put("problems", problems);
            }
            return Health.status(problems.isEmpty() ? Status.UP : DEGRADED).withDetails(details).build();
        };
    }

    @Bean
    @ConditionalOnMissingBean
    StatusAggregator statusAggregator() {
        return new SimpleStatusAggregator(Status.DOWN, Status.OUT_OF_SERVICE, DEGRADED, Status.UP, Status.UNKNOWN);
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

    /**
     * {@code su7.health.readiness}: 1 while the instance's readiness group is UP (what a load balancer's probe asks,
     * {@code /actuator/health/readiness}), 0 while it is not, so a rule can alert on an instance out of service. Asked
     * at each scrape; the group holds only what is cheap to ask (the database, the readiness state).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
    static class ReadinessGauge {

        @Bean
        MeterBinder readinessGauge(ObjectProvider<HealthEndpoint> health) {
            return meters -> Gauge.builder("su7.health.readiness", health, endpoint -> {
                        HealthEndpoint available = endpoint.getIfAvailable();
                        HealthDescriptor readiness = available == null ? null : available.healthForPath("readiness");
                        return readiness == null ? Double.NaN : Status.UP.equals(readiness.getStatus()) ? 1 : 0;
                    })
                    .strongReference(true)
                    .description("1 while the instance's readiness group is UP").register(meters);
        }
    }
}
