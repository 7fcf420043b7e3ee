package com.su7.messaging.registry;

import com.su7.contract.EventSchemas;
import com.su7.contract.EventSchemas.EventSchema;
import com.su7.messaging.MessagingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers the schemas of the events this service publishes, under {@code <topic>-value} with at least the
 * configured compatibility, while the application starts, so no event is ever written under an unregistered or
 * incompatible schema. An incompatible schema stops the start-up with the registry's reason.
 */
public final class SchemaRegistration implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistration.class);

    private final ConfluentRegistryClient registry;
    private final MessagingProperties properties;
    private final List<EventSchema> schemas;
    private final Map<String, Integer> registeredIds = new ConcurrentHashMap<>();
    private final RetryTemplate startupRetry;

    /** Registers the schemas of the topics the service produces ({@code su7.messaging.produces}). */
    public SchemaRegistration(ConfluentRegistryClient registry, MessagingProperties properties) {
        this(registry, properties, producedSchemas(properties.produces()));
    }

    /** Registers the given schemas, each under its topic's value subject. */
    public SchemaRegistration(ConfluentRegistryClient registry, MessagingProperties properties, List<EventSchema> schemas) {
        this.registry = registry;
        this.properties = properties;
        this.schemas = List.copyOf(schemas);
        // Only an unreachable registry is worth waiting for; an incompatible schema fails at once.
        this.startupRetry = new RetryTemplate(RetryPolicy.builder()
                .includes(UncheckedIOException.class, RegistryNotReady.class)
                .maxRetries(Long.MAX_VALUE)
                .timeout(properties.registryStartupWait())
                .delay(Duration.ofMillis(250)).multiplier(2).maxDelay(Duration.ofSeconds(5))
                .build());
    }

    @Override
    public void afterPropertiesSet() {
        schemas.forEach(this::registerWhenReachable);
    }

    /** Subject to schema id of what this service registered. */
    public Map<String, Integer> registeredIds() {
        return Map.copyOf(registeredIds);
    }

    static List<EventSchema> producedSchemas(List<String> topics) {
        return topics.stream().map(topic -> EventSchemas.ALL.stream()
                        .filter(schema -> schema.topic().name().equals(topic))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(
                                "su7.messaging.produces names %s, which is no event topic; known: %s".formatted(topic,
                                        EventSchemas.ALL.stream().map(s -> s.topic().name()).toList()))))
                .toList();
    }

    private void registerWhenReachable(EventSchema schema) {
        try {
            startupRetry.invoke(() -> register(schema));
        } catch (UncheckedIOException | RegistryNotReady unreachable) {
            throw new IllegalStateException("cannot register %s within %s: %s".formatted(
                    schema.subject(), properties.registryStartupWait(), unreachable.getMessage()), unreachable);
        }
    }

    private void register(EventSchema schema) {
        String subject = schema.subject();
        // The rule must be in force before a new version is checked against the old ones; a new subject can only
        // be given one once it exists.
        CompatibilityLevel level = registry.subjectExists(subject) ? settleCompatibility(subject) : null;
        int id;
        try {
            id = registry.register(subject, schema.schema().toString());
        } catch (ConfluentRegistryClient.RegistryException e) {
            if (e.status() == 409) {
                throw new IllegalStateException("the schema of %s is not %s compatible with its registered versions: %s"
                        .formatted(subject, level, e.getMessage()), e);
            }
            // A registration is never "not found": a registry still starting answers 404 (or 5xx) for a moment.
            if (e.status() == 404 || e.status() >= 500) {
                throw new RegistryNotReady(e);
            }
            throw e;
        }
        if (level == null) {
            level = settleCompatibility(subject);
        }
        registeredIds.put(subject, id);
        log.info("schema {} registered as id {} ({})", subject, id, level);
    }

    /**
     * Gives the subject the level this service asks for where it has none or a weaker one, and never lowers or
     * overrides a level set in the registry (by ops, or a newer release): a start-up must not undo an operator's
     * choice. A level that is neither stricter nor weaker than the one asked for (FULL where BACKWARD_TRANSITIVE is
     * asked) is kept too, with a warning naming both.
     */
    private CompatibilityLevel settleCompatibility(String subject) {
        CompatibilityLevel asked = properties.compatibility();
        Optional<CompatibilityLevel> set = registry.compatibility(subject).map(CompatibilityLevel::valueOf);
        if (set.isEmpty() || (set.get() != asked && asked.isAtLeastAsStrictAs(set.get()))) {
            registry.setCompatibility(subject, asked.name());
            return asked;
        }
        if (!set.get().isAtLeastAsStrictAs(asked)) {
            log.warn("{} keeps the compatibility {} set in the registry, though this service asks for {}: neither is at"
                    + " least as strict as the other, and a start-up never overrides a level set there; set one at least"
                    + " as strict as both (FULL_TRANSITIVE) to have both", subject, set.get(), asked);
        } else if (set.get() != asked) {
            log.info("{} keeps the compatibility {} set in the registry, stricter than the {} this service asks for",
                    subject, set.get(), asked);
        }
        return set.get();
    }

    /** The registry answers, but not yet as a ready one. */
    static final class RegistryNotReady extends RuntimeException {

        RegistryNotReady(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
