package com.su7.simulation;

import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes records in the Confluent wire format (byte 0, the 4-byte schema id, Avro binary) as any Confluent-compatible
 * consumer does: the writer's schema by its id from the registry's Confluent API ({@code GET /schemas/ids/{id}}),
 * resolved against the contract's class, so a field or symbol added to the schema later is skipped or read as its
 * default instead of failing the reader. Not thread-safe: one per consuming thread.
 */
final class ConfluentAvro {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ATTEMPTS = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI confluentApi;
    private final Map<Integer, Schema> writers = new HashMap<>();
    private final Map<ReaderKey, SpecificDatumReader<?>> readers = new HashMap<>();

    private record ReaderKey(int writerSchemaId, Class<?> type) {
    }

    /** @param confluentApi the registry's Confluent-compatible API, e.g. {@code http://127.0.0.1:8085/apis/ccompat/v7} */
    ConfluentAvro(URI confluentApi) {
        this.confluentApi = confluentApi;
    }

    <T extends SpecificRecord> T decode(byte[] value, Class<T> type) {
        if (value == null || value.length < 5 || value[0] != 0) {
            throw new IllegalArgumentException("not in the Confluent wire format");
        }
        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
        @SuppressWarnings("unchecked")
        SpecificDatumReader<T> reader = (SpecificDatumReader<T>) readers.computeIfAbsent(new ReaderKey(schemaId, type), key -> {
            SpecificData model = SpecificData.getForClass(type);
            return new SpecificDatumReader<>(writerSchema(schemaId), model.getSchema(type), model);
        });
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("undecodable as %s with schema %d: %s".formatted(type.getSimpleName(), schemaId, e), e);
        }
    }

    private Schema writerSchema(int id) {
        return writers.computeIfAbsent(id, this::fetch);
    }

    /** The registry is retried a few times: an unanswered lookup is a fault of the registry, not of the record. */
    private Schema fetch(int id) {
        URI uri = URI.create(confluentApi + "/schemas/ids/" + id);
        IOException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalArgumentException("the registry has no schema %d (HTTP %d)".formatted(id, response.statusCode()));
                }
                return new Schema.Parser().parse(JSON.readTree(response.body()).get("schema").asString());
            } catch (IOException e) {
                failure = e;
                sleep(Duration.ofMillis(200L * attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading schema " + id, e);
            }
        }
        throw new IllegalStateException("the registry at %s did not answer".formatted(confluentApi), failure);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
