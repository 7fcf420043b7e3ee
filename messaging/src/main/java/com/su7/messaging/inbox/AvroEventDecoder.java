package com.su7.messaging.inbox;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.HashMap;
import java.util.Map;

/** Decodes Confluent-wire-format Avro into the event's generated class, checking the record is that event. */
public final class AvroEventDecoder {

    private final ThreadLocal<AvroKafkaDeserializer<Object>> deserializers;

    public AvroEventDecoder(Map<String, Object> deserializerSettings) {
        Map<String, Object> settings = new HashMap<>(deserializerSettings);
        settings.put("apicurio.registry.avro-datum-provider", ReaderPerWriterSchema.class.getName());
        // One deserializer per listener thread: Apicurio's serdes are built for one consumer each.
        this.deserializers = ThreadLocal.withInitial(() -> {
            AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
            deserializer.configure(settings, false);
            return deserializer;
        });
    }

    public <E extends SpecificRecord> EventDecoder<E> of(Class<E> type) {
        return record -> decode(record, type);
    }

    private <E extends SpecificRecord> E decode(ConsumerRecord<String, byte[]> record, Class<E> type) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new PermanentEventException("record has no value (%s); expected a %s"
                    .formatted(value == null ? "null" : "empty", type.getSimpleName()));
        }
        if (value[0] != 0 || value.length < 5) {
            throw new PermanentEventException("record is not in the Confluent wire format (magic byte %d, %d bytes); expected a %s"
                    .formatted(value[0], value.length, type.getSimpleName()));
        }
        Object decoded;
        try {
            decoded = deserializers.get().deserialize(record.topic(), record.headers(), value);
        } catch (RuntimeException e) {
            if (Failures.isRegistryUnavailable(e)) {
                throw e;
            }
            throw new PermanentEventException("cannot decode the record as %s: %s".formatted(type.getSimpleName(), rootMessage(e)), e);
        }
        if (!type.isInstance(decoded)) {
            throw new PermanentEventException("record holds a %s, not a %s"
                    .formatted(decoded == null ? "null" : decoded.getClass().getSimpleName(), type.getSimpleName()));
        }
        return type.cast(decoded);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage())
                : "%s (%s: %s)".formatted(failure.getMessage(), root.getClass().getSimpleName(), root.getMessage());
    }
}
