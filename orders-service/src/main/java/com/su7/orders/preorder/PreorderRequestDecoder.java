package com.su7.orders.preorder;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.su7.contract.DeliveryCities;
import com.su7.messaging.inbox.EventDecoder;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.security.FieldProblem;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bytes of {@code app.preorder-requests} to a request: JSON, valid against the app's JSON Schema
 * ({@code /json/preorder-request.schema.json}, from the schemas module) and against the same rules as the REST API.
 * What fails is a {@link PermanentEventException} listing every reason, so the record goes to the dead letters.
 */
@Component
class PreorderRequestDecoder implements EventDecoder<AppPreorderRequest> {

    static final String SCHEMA = "/json/preorder-request.schema.json";

    // Deposits stay exact decimals: 0.1 must not become 0.1000000000000000055...
    private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private final Schema schema;
    private final PreorderValidation validation;

    PreorderRequestDecoder(PreorderValidation validation) {
        this.validation = validation;
        this.schema = loadSchema();
    }

    @Override
    public AppPreorderRequest decode(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new PermanentEventException("record has no value (%s); expected a JSON preorder request".formatted(value == null ? "null" : "empty"));
        }
        JsonNode node;
        try {
            node = json.readTree(value);
        } catch (JacksonException e) {
            throw new PermanentEventException("record is not JSON: " + e.getOriginalMessage(), e);
        }
        List<Error> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            throw new PermanentEventException("invalid preorder request: " + errors.stream()
                    .map(PreorderRequestDecoder::describe).distinct().sorted().collect(Collectors.joining("; ")));
        }
        PreorderRequest request = new PreorderRequest(node.get("customerId").asString(), node.get("variant").asString(),
                node.get("exteriorColor").asString(), node.get("deliveryCity").asString(), node.get("deposit").decimalValue(),
                node.get("channel").asString(), text(node, "interior"), text(node, "wheels"));
        String requestId = node.get("requestId").asString();
        List<FieldProblem> problems = validation.problemsOf(request, requestId, "requestId");
        if (!problems.isEmpty()) {
            throw new PermanentEventException(new InvalidPreorderException(problems).getMessage());
        }
        Instant requestedAt;
        try {
            requestedAt = node.has("requestedAt") ? OffsetDateTime.parse(node.get("requestedAt").asString()).toInstant() : null;
        } catch (DateTimeParseException e) {
            throw new PermanentEventException("invalid preorder request: requestedAt: " + e.getMessage(), e);
        }
        String city = DeliveryCities.get(request.deliveryCity()).name();
        Instant receivedAt = record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp());
        return new AppPreorderRequest(requestId, request, requestedAt, receivedAt, Preorder.hashOf(request, city));
    }

    /** "deposit: must be greater than 0", with the field named as in the request. */
    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asString() : null;
    }

    private static String describe(Error error) {
        String location = error.getInstanceLocation().toString().replaceFirst("^[$/]\\.?", "");
        String field = error.getProperty() != null && ("required".equals(error.getKeyword()) || "additionalProperties".equals(error.getKeyword()))
                ? error.getProperty() : location;
        String message = error.getMessage();
        return (field.isEmpty() ? "request" : field) + ": " + message;
    }

    private static Schema loadSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder ->
                builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        try (InputStream in = PreorderRequestDecoder.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("the app's preorder request schema %s is not on the classpath (schemas module)".formatted(SCHEMA));
            }
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
