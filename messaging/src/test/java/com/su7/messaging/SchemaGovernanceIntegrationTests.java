package com.su7.messaging;

import com.su7.contract.EventSchemas;
import com.su7.contract.EventSchemas.EventSchema;
import com.su7.contract.SchemaTree;
import com.su7.contract.TopicSpec;
import com.su7.contract.Topics;
import com.su7.events.Channel;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
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
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

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
        properties = serviceSettings(Map.of("su7.messaging.produces",
                EventSchemas.ALL.stream().map(schema -> schema.topic().name()).collect(Collectors.joining(","))));
        registry = new ConfluentRegistryClient(properties.confluentApi());
        new SchemaRegistration(registry, properties).afterPropertiesSet();
    }

    @Test
    void registersEveryEventUnderItsTopicValueSubjectWithFullTransitiveCompatibility() {
        assertThat(EventSchemas.ALL).extracting(EventSchema::subject).containsExactlyInAnyOrder(
                "orders.preorder-placed-value", "production.unit-built-value", "delivery.delivery-scheduled-value",
                "orders.eta-changed-value", "orders.preorder-cancelled-value");
        for (EventSchema schema : EventSchemas.ALL) {
            assertThat(registry.subjectExists(schema.subject())).as(schema.subject()).isTrue();
            assertThat(registry.compatibility(schema.subject())).as(schema.subject()).contains("FULL_TRANSITIVE");
        }
    }

    @Test
    void givesANewSubjectFullTransitiveCompatibility() {
        EventSchema schema = onScratchSubject(PreorderPlaced.getClassSchema());

        startService(serviceSettings(Map.of()), schema);

        assertThat(registry.compatibility(schema.subject())).contains("FULL_TRANSITIVE");
    }

    @Test
    void keepsTheStricterLevelOpsSetWhenTheServiceStartsAgain() {
        EventSchema schema = onScratchSubject(UnitBuilt.getClassSchema());
        MessagingProperties askingBackward = serviceSettings(Map.of("su7.messaging.compatibility", "BACKWARD"));
        startService(askingBackward, schema);

        registry.setCompatibility(schema.subject(), "FULL_TRANSITIVE");
        startService(askingBackward, schema);

        assertThat(registry.compatibility(schema.subject())).contains("FULL_TRANSITIVE");
    }

    @Test
    void raisesAWeakerLevelToTheOneTheServiceAsksFor() {
        EventSchema schema = onScratchSubject(UnitBuilt.getClassSchema());
        startService(serviceSettings(Map.of()), schema);

        registry.setCompatibility(schema.subject(), "NONE");
        startService(serviceSettings(Map.of()), schema);

        assertThat(registry.compatibility(schema.subject())).contains("FULL_TRANSITIVE");
    }

    @Test
    void keepsALevelOpsSetThatIsNeitherStricterNorWeakerThanTheOneAskedFor() {
        EventSchema schema = onScratchSubject(UnitBuilt.getClassSchema());
        MessagingProperties askingBackwardTransitive =
                serviceSettings(Map.of("su7.messaging.compatibility", "BACKWARD_TRANSITIVE"));
        startService(askingBackwardTransitive, schema);

        registry.setCompatibility(schema.subject(), "FULL");
        startService(askingBackwardTransitive, schema);

        assertThat(registry.compatibility(schema.subject())).contains("FULL");
    }

    @Test
    void registersThisReleaseWhereThePreviousOneRegisteredItsSchemasUnderBackward() {
        SchemaTree previous = SchemaTree.read(Path.of("..", "schemas").resolve(SchemaTree.RELEASES).resolve("v0.1.0"));
        // Events new since then (EtaChanged, PreorderCancelled) had no subject the previous release could have registered.
        for (EventSchema current : EventSchemas.ALL.stream().filter(event -> previous.events().containsKey(event.schema().getName())).toList()) {
            EventSchema schema = onScratchSubject(current.schema());
            registry.register(schema.subject(), previous.events().get(current.schema().getName()).toString());
            registry.setCompatibility(schema.subject(), "BACKWARD");

            SchemaRegistration registration = startService(serviceSettings(Map.of()), schema);

            assertThat(registry.compatibility(schema.subject())).as(schema.subject()).contains("FULL_TRANSITIVE");
            int currentId = registration.registeredIds().get(schema.subject());
            assertThat(new Schema.Parser().parse(registry.schemaById(currentId))).isEqualTo(current.schema());
        }
    }

    @Test
    void rejectsAChangeThatReadersOfAnEarlierVersionCannotRead() {
        EventSchema schema = onScratchSubject(UnitBuilt.getClassSchema());
        startService(serviceSettings(Map.of()), schema);
        Schema unitBuilt = UnitBuilt.getClassSchema();
        Schema withoutPlant = Schema.createRecord(unitBuilt.getName(), unitBuilt.getDoc(), unitBuilt.getNamespace(),
                false, unitBuilt.getFields().stream().filter(field -> !field.name().equals("plant"))
                        .map(field -> new Schema.Field(field, field.schema())).toList());

        assertThatThrownBy(() -> registry.register(schema.subject(), withoutPlant.toString()))
                .isInstanceOfSatisfying(ConfluentRegistryClient.RegistryException.class,
                        rejected -> assertThat(rejected.status()).isEqualTo(409));
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

    /** A service's messaging settings as Spring binds them: the defaults, with the given properties set. */
    private static MessagingProperties serviceSettings(Map<String, String> set) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "su7.messaging.registry-url", stack.registryUrl(),
                "su7.messaging.registry-startup-wait", "30s"));
        settings.putAll(set);
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("su7.messaging", MessagingProperties.class);
    }

    /** A start of a service that registers the schema: what every start-up does. */
    private static SchemaRegistration startService(MessagingProperties settings, EventSchema schema) {
        SchemaRegistration registration = new SchemaRegistration(registry, settings, List.of(schema));
        registration.afterPropertiesSet();
        return registration;
    }

    /** The schema under a subject of its own (the event subjects are shared with every test in this JVM). */
    private static EventSchema onScratchSubject(Schema schema) {
        TopicSpec scratchTopic = new TopicSpec("governance-test-" + UUID.randomUUID(), "preorderId", 1, TopicSpec.FOREVER);
        return new EventSchema(scratchTopic, schema);
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
