package com.su7.messaging.outbox;

import com.su7.messaging.registry.ConfluentRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry id of the schema that wrote a row release v0.1.0 left in {@code outbox_event} (its rows name their
 * event class, not their schema): that release's schema of the class ({@code schemas}' history), found among the
 * versions registered under the topic's subject by its parsing canonical form (which ignores docs, defaults and the
 * Java string hints a registered text carries). Asked only while such rows exist, i.e. around an upgrade.
 */
final class LegacyWriters {

    private final ConfluentRegistryClient registry;
    private final Function<String, Optional<Schema>> releasedSchemaOfClass;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    LegacyWriters(ConfluentRegistryClient registry, Function<String, Optional<Schema>> releasedSchemaOfClass) {
        this.registry = registry;
        this.releasedSchemaOfClass = releasedSchemaOfClass;
    }

    /**
     * The id, or empty when the release's schema of the class is unknown or not registered under the subject (a row
     * that cannot be sent as written). An unreachable registry throws: that is worth waiting for.
     */
    OptionalInt idOf(String eventClass, String topic) {
        Integer known = ids.get(eventClass + "@" + topic);
        if (known != null) {
            return OptionalInt.of(known);
        }
        Optional<Schema> released = releasedSchemaOfClass.apply(eventClass);
        if (released.isEmpty()) {
            return OptionalInt.empty();
        }
        long fingerprint = SchemaNormalization.parsingFingerprint64(released.get());
        for (ConfluentRegistryClient.Registered version : registry.versions(topic + "-value")) {
            if (SchemaNormalization.parsingFingerprint64(new Schema.Parser().parse(version.schema())) == fingerprint) {
                ids.put(eventClass + "@" + topic, version.id());
                return OptionalInt.of(version.id());
            }
        }
        return OptionalInt.empty();
    }
}
