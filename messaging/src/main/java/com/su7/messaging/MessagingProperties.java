package com.su7.messaging;

import com.su7.messaging.registry.CompatibilityLevel;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a service talks to Kafka and the schema registry.
 *
 * @param registryUrl        base URL of Apicurio Registry, e.g. {@code http://127.0.0.1:8085}
 * @param compatibility      the least compatibility of every subject this service registers (BACKWARD or stricter):
 *                           FULL_TRANSITIVE by default, as topics are kept forever and upgrades roll (new readers
 *                           read every old event, every old reader reads new ones); a level set in the registry that
 *                           is not weaker is kept ({@code SchemaRegistration})
 * @param produces           the event topics this service publishes: their schemas are registered at start-up,
 *                           before any event is written, and the topics (with their dead-letter twins) declared
 * @param registryStartupWait how long start-up waits for an unreachable registry before it gives up
 * @param topicReplicas      replication factor of the topics this service declares (1 on one broker)
 * @param formerConsumerGroups listener id (its consumer group) to the group it was in before: the new group starts
 *                           from the former's offsets instead of the earliest ({@code ConsumerGroupRenames})
 */
@Validated
@ConfigurationProperties("su7.messaging")
public record MessagingProperties(
        @NotNull(message = "set su7.messaging.registry-url (env SU7_MESSAGING_REGISTRY_URL) to the schema registry, e.g. http://127.0.0.1:8085")
        URI registryUrl,
        @DefaultValue("FULL_TRANSITIVE") CompatibilityLevel compatibility,
        @DefaultValue List<String> produces,
        @DefaultValue("60s") Duration registryStartupWait,
        @DefaultValue("1") int topicReplicas,
        @DefaultValue Map<String, String> formerConsumerGroups) {

    public MessagingProperties {
        if (compatibility != null && !compatibility.isAtLeastAsStrictAs(CompatibilityLevel.BACKWARD)) {
            throw new IllegalArgumentException(("su7.messaging.compatibility is %s, which lets a new schema fail to"
                    + " read the events already on its topic: BACKWARD or stricter (BACKWARD_TRANSITIVE, FULL,"
                    + " FULL_TRANSITIVE)").formatted(compatibility));
        }
    }

    public URI coreApi() {
        return registryUrl.resolve("/apis/registry/v3");
    }

    public URI confluentApi() {
        return registryUrl.resolve("/apis/ccompat/v7");
    }
}
