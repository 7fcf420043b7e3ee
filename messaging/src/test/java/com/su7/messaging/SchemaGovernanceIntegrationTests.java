package com.su7.messaging;

import com.su7.contract.EventSchemas;
import com.su7.contract.Topics;
import com.su7.events.Channel;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.localstack.LocalStack;
import com.su7.messaging.kafka.KafkaClientSettings;
import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.messaging.registry.SchemaRegistration;
import com.su7.testsupport.SharedLocalStack;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event contract against the real Apicurio Registry, through its Confluent-compatible API. */
class SchemaGovernanceIntegrationTests {

    private static LocalStack stack;
    private static ConfluentRegistryClient registry;
    private static MessagingProperties properties;

    @BeforeAll
    static void registerAllEventSchemas() {
        stack = SharedLocalStack.get();
        properties = new MessagingProperties(URI.create(stack.registryUrl()), MessagingProperties.Compatibility.BACKWARD,
                EventSchemas.ALL.stream().map(schema -> schema.topic().name()).toList(), Duration.ofSeconds(30), 1, Map.of());
        registry = new ConfluentRegistryClient(properties.confluentApi());
        new SchemaRegistration(registry, properties).afterPropertiesSet();
    }

    @Test
    void registersEveryEventUnderItsTopicValueSubjectWithBackwardCompatibility() {
        assertThat(EventSchemas.ALL).extracting(EventSchemas.EventSchema::subject).containsExactlyInAnyOrder(
                "orders.preorder-placed-value", "production.unit-built-value", "delivery.delivery-scheduled-value");
        for (EventSchemas.EventSchema schema : EventSchemas.ALL) {
            assertThat(registry.subjectExists(schema.subject())).as(schema.subject()).isTrue();
            assertThat(registry.compatibility(schema.subject())).as(schema.subject()).contains("BACKWARD");
        }
    }

    @Test
    void registeringTheSameSchemaAgainKeepsItsId() {
        String schema = PreorderPlaced.getClassSchema().toString();
        assertThat(registry.register("orders.preorder-placed-value", schema))
                .isEqualTo(registry.register("orders.preorder-placed-value", schema));
    }

    @Test
    void acceptsAnEvolutionWithANewOptionalField() {
        String evolved = withField(PreorderPlaced.getClassSchema(), """
                {"name": "referralCode", "type": ["null", "string"], "default": null}""");
        assertThat(registry.isCompatible("orders.preorder-placed-value", evolved)).isTrue();

        String subject = scratchSubjectWith(PreorderPlaced.getClassSchema().toString());
        int evolvedId = registry.register(subject, evolved);
        assertThat(registry.schemaById(evolvedId)).contains("referralCode");
    }

    @Test
    void rejectsABreakingChange() {
        String breaking = withField(PreorderPlaced.getClassSchema(), """
                {"name": "loyaltyTier", "type": "string"}""");
        assertThat(registry.isCompatible("orders.preorder-placed-value", breaking)).isFalse();

        String subject = scratchSubjectWith(PreorderPlaced.getClassSchema().toString());
        assertThatThrownBy(() -> registry.register(subject, breaking))
                .isInstanceOfSatisfying(ConfluentRegistryClient.RegistryException.class,
                        rejected -> assertThat(rejected.status()).isEqualTo(409));
    }

    @Test
    void aConfluentWireFormatReaderDecodesWhatTheProjectSerializerWrote() throws Exception {
        PreorderPlaced event = PreorderPlaced.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setPreorderId(UUID.randomUUID().toString())
                .setCustomerId("customer-42")
                .setVariant(Variant.SU7_MAX)
                .setExteriorColor("Aqua Blue")
                .setDeliveryCity("Beijing")
                .setDeposit(new BigDecimal("5000.00"))
                .setChannel(Channel.APP)
                .setPlacedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        byte[] bytes;
        try (AvroKafkaSerializer<PreorderPlaced> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(KafkaClientSettings.avroProducer(properties), false);
            bytes = serializer.serialize(Topics.PREORDER_PLACED, event);
        }

        // Only the Confluent wire format and the Confluent API from here on.
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.get()).as("magic byte").isZero();
        int schemaId = buffer.getInt();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.registryConfluentApiUrl() + "/schemas/ids/" + schemaId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Schema writerSchema = new Schema.Parser().parse(JsonMapper.builder().build().readTree(response.body()).get("schema").asString());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writerSchema).read(null,
                DecoderFactory.get().binaryDecoder(bytes, buffer.position(), bytes.length - buffer.position(), null));

        assertThat(decoded.get("preorderId").toString()).isEqualTo(event.getPreorderId());
        assertThat(decoded.get("variant").toString()).isEqualTo("SU7_MAX");
        assertThat(decoded.get("deliveryCity").toString()).isEqualTo("Beijing");
        assertThat(decoded.get("placedAt")).isEqualTo(event.getPlacedAt().toEpochMilli());
    }

    private static String scratchSubjectWith(String firstSchema) {
        String subject = "governance-test-" + UUID.randomUUID() + "-value";
        registry.register(subject, firstSchema);
        registry.setCompatibility(subject, "BACKWARD");
        return subject;
    }

    private static String withField(Schema schema, String fieldJson) {
        String json = schema.toString();
        int fieldsEnd = json.lastIndexOf(']');
        return json.substring(0, fieldsEnd) + "," + fieldJson + json.substring(fieldsEnd);
    }
}
