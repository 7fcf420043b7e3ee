package com.su7.system;

import com.su7.testsupport.KafkaProbe;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Reads a topic as a downstream consumer outside this project would: it knows only the Confluent wire format
 * (magic byte, 4-byte schema id, Avro binary) and the registry's Confluent API, no generated classes.
 */
final class Topic {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Object> kafka;
    private final String confluentApi;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    Topic(Map<String, Object> kafka, String confluentApi) {
        this.kafka = kafka;
        this.confluentApi = confluentApi;
    }

    /** The wanted records of the topic with their decoded events, for checks that look at headers too. */
    List<Decoded> readAll(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
        return new KafkaProbe(kafka).records(topic, wanted).stream()
                .map(record -> new Decoded(record, decode(record.value()))).toList();
    }

    record Decoded(ConsumerRecord<String, byte[]> record, GenericRecord event) {

        /** The registry id of the schema the record was written with (bytes 1-4 of the wire format). */
        int writerSchemaId() {
            return ByteBuffer.wrap(record.value(), 1, 4).getInt();
        }
    }

    /** A field of Avro's {@code date} logical type: days since 1970-01-01 on the wire, as a generic reader leaves it. */
    static LocalDate date(GenericRecord event, String field) {
        return LocalDate.ofEpochDay((Integer) event.get(field));
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
