package com.su7.messaging.kafka;

import com.su7.messaging.MessagingProperties;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client settings every service shares: Avro values in the Confluent wire format (magic byte,
 * 4-byte schema id, Avro binary) through Apicurio's serdes, string keys, and a producer that neither loses
 * nor duplicates nor reorders what it sends.
 */
public final class KafkaClientSettings {

    /**
     * How soon a client sees a topic's new partitions. Kafka's default is 5 minutes: a producer would go on hashing
     * keys over the old partition count that long after a raise, and then move them mid-stream. Repartitioning a topic
     * (README) keeps the relays paused for twice this after the raise, so every producer hashes over the new count
     * before it sends again. A metadata request every 30 s per client costs nothing.
     */
    public static final Duration METADATA_MAX_AGE = Duration.ofSeconds(30);

    private KafkaClientSettings() {
    }

    /** Serde settings shared by the serializer and the deserializer. */
    public static Map<String, Object> confluentWireFormat(MessagingProperties properties) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("apicurio.registry.url", properties.coreApi().toString());
        // Schema id in the payload, not in headers: what Confluent-compatible readers expect.
        settings.put("apicurio.registry.headers.enabled", false);
        settings.put("apicurio.registry.id-handler", Default4ByteIdHandler.class.getName());
        // The content id is what the Confluent API calls the schema id.
        settings.put("apicurio.registry.use-id", "contentId");
        return settings;
    }

    public static Map<String, Object> avroProducer(MessagingProperties properties) {
        Map<String, Object> settings = confluentWireFormat(properties);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class);
        // Schemas are registered at start-up (SchemaRegistration); a serializer that registered its own would
        // let an unchecked schema into a topic.
        settings.put("apicurio.registry.auto-register", false);
        // Look the schema up as registered: one self-contained document with the shared enums inlined,
        // not split into referenced artifacts (which Confluent-compatible readers would not resolve).
        settings.put("apicurio.registry.dereference-schema", true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, (int) METADATA_MAX_AGE.toMillis());
        return settings;
    }

    /**
     * Consumers take raw bytes; {@code EventInbox} decodes them, so a bad record is still at hand, byte for byte, for its dead letter.
     *
     * @param configured what the application configured already (Spring Boot's consumer properties): a session timeout
     *                   set there wins over the short default below
     */
    public static Map<String, Object> rawBytesConsumer(Map<String, Object> configured) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A crashed instance keeps its partitions until its session expires, and nobody (not even the instance
        // restarted in its place) consumes them meanwhile: Kafka's default of 45 s was that long a stall in the
        // fault suite. 10 s, with a heartbeat every 3 s from the client's own thread, still rides out a busy JVM.
        // A static member (group.instance.id, deploy/) is the exception: its restart must fit in its session, or the
        // restart costs the rebalance static membership exists to avoid; it says so with a session of its own.
        if (!configured.containsKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)) {
            settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
            settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        }
        // Consumers take a raised topic's new partitions within this, not after 5 minutes.
        settings.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) METADATA_MAX_AGE.toMillis());
        return settings;
    }

    /** Settings of the Avro deserializer that decodes into the generated event classes. */
    public static Map<String, Object> avroDeserializer(MessagingProperties properties) {
        Map<String, Object> settings = confluentWireFormat(properties);
        settings.put("apicurio.registry.use-specific-avro-reader", true);
        return settings;
    }
}
