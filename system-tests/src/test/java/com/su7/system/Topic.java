package com.su7.system;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a topic as a downstream consumer outside this project would: it knows only the Confluent wire format
 * (magic byte, 4-byte schema id, Avro binary) and the registry's Confluent API, no generated classes.
 */
final class Topic {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String bootstrapServers;
    private final String confluentApi;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    Topic(String bootstrapServers, String confluentApi) {
        this.bootstrapServers = bootstrapServers;
        this.confluentApi = confluentApi;
    }

    /** Every record of the topic, decoded generically, from the beginning to the current end. */
    List<GenericRecord> readAll(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<GenericRecord> records = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records.add(decode(record.value()));
                }
            }
            return records;
        }
    }

    private GenericRecord decode(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        if (buffer.get() != 0) {
            throw new IllegalStateException("not in the Confluent wire format");
        }
        Schema writer = schemas.computeIfAbsent(buffer.getInt(), this::schemaById);
        try {
            return new GenericDatumReader<GenericRecord>(writer).read(null,
                    DecoderFactory.get().binaryDecoder(value, buffer.position(), value.length - buffer.position(), null));
        } catch (IOException e) {
            throw new IllegalStateException("undecodable record", e);
        }
    }

    private Schema schemaById(int id) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(confluentApi + "/schemas/ids/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Schema.Parser().parse(JSON.readTree(response.body()).get("schema").asString());
        } catch (IOException e) {
            throw new IllegalStateException("registry unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
