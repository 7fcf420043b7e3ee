package com.su7.system;

import com.su7.testsupport.KafkaProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Writes what a broken or repeating upstream would into the system's topics: poison of every kind, and exact
 * copies of records already there. Everything it writes carries {@link PreorderAudit#INJECTED_HEADER}, so the
 * audit tells it from what the services wrote.
 */
final class RecordInjector {

    private final Map<String, Object> kafka;
    private final Random random = new Random(9);

    /** {@code kafka}: the settings of a client that may write every topic (the stack's admin). */
    RecordInjector(Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** Poison kind → bytes, built from a valid record of the topic (so "truncated" is truly a cut valid record). */
    Map<String, byte[]> poisonFor(String topic) {
        // The first events of a fresh system may still be on their way.
        byte[] valid = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(
                () -> new KafkaProbe(kafka).records(topic, record -> record.value() != null && record.value().length > 8),
                records -> !records.isEmpty()).getFirst().value();
        byte[] randomBytes = new byte[64];
        random.nextBytes(randomBytes);
        randomBytes[0] = 0x5A;
        byte[] wrongMagic = valid.clone();
        wrongMagic[0] = 1;
        byte[] unknownSchemaId = valid.clone();
        ByteBuffer.wrap(unknownSchemaId).put(1, new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, 0x01});
        Map<String, byte[]> poison = new LinkedHashMap<>();
        poison.put("random-bytes", randomBytes);
        poison.put("wrong-magic-byte", wrongMagic);
        poison.put("unknown-schema-id", unknownSchemaId);
        poison.put("truncated", Arrays.copyOf(valid, valid.length / 2));
        poison.put("empty", new byte[0]);
        poison.put("null", null);
        return poison;
    }

    /** Sends each poison under its own key ({@code poison-<kind>-<uuid>}); returns the keys by kind. */
    Map<String, String> inject(String topic, Map<String, byte[]> poison) {
        Map<String, String> keys = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            poison.forEach((kind, value) -> {
                String key = "poison-%s-%s".formatted(kind, UUID.randomUUID());
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
                record.headers().add(PreorderAudit.INJECTED_HEADER, kind.getBytes(StandardCharsets.UTF_8));
                producer.send(record);
                keys.put(kind, key);
            });
            producer.flush();
        }
        return keys;
    }

    /** Sends exact copies (key, value, headers: the same eventId) of the wanted records of a topic; returns how many. */
    int copy(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
        List<ConsumerRecord<String, byte[]>> originals = new KafkaProbe(kafka).records(topic,
                ((Predicate<ConsumerRecord<String, byte[]>>) record -> record.headers().lastHeader(PreorderAudit.INJECTED_HEADER) == null).and(wanted));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (ConsumerRecord<String, byte[]> original : originals) {
                ProducerRecord<String, byte[]> copy = new ProducerRecord<>(topic, original.key(), original.value());
                for (Header header : original.headers()) {
                    copy.headers().add(header);
                }
                copy.headers().add(PreorderAudit.INJECTED_HEADER, "duplicate".getBytes(StandardCharsets.UTF_8));
                producer.send(copy);
            }
            producer.flush();
        }
        return originals.size();
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(settings);
    }
}
