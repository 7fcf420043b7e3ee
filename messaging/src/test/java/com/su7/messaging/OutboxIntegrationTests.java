package com.su7.messaging;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.messaging.outbox.OutboxBacklog;
import com.su7.messaging.outbox.OutboxRelay;
import com.su7.messaging.outbox.SetAsideRows;
import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.messaging.testapp.Preorders;
import com.su7.messaging.testapp.MessagingTestApplication;
import com.su7.messaging.testapp.TestEvents;
import com.su7.testsupport.KafkaProbe;
import com.su7.testsupport.SharedLocalStack;
import com.su7.testsupport.WithLocalStack;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outbox rows remember their writer: the relay sends the bytes a row was written with under that writer's schema id
 * (never decoding them with the class it runs now), sets aside a row it cannot send without holding up the rows of
 * other keys, and its backlog is measured whether or not anything is published.
 */
@SpringBootTest(classes = MessagingTestApplication.class)
@WithLocalStack
class OutboxIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SUBJECT = Topics.PREORDER_PLACED + "-value";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    OutboxRelay relay;
    @Autowired
    OutboxBacklog backlog;
    @Autowired
    SetAsideRows setAside;
    @Autowired
    Preorders preorders;
    @Autowired
    ConfluentRegistryClient registry;
    @Autowired
    AvroEventDecoder avro;
    @Autowired
    MeterRegistry meters;
    @Autowired
    @Qualifier("outboxHealthIndicator")
    HealthIndicator outboxHealth;

    KafkaProbe probe;

    @BeforeEach
    void probe() {
        probe = new KafkaProbe(SharedLocalStack.get());
    }

    /**
     * A row another version wrote (here one with a field this build does not know: an instance of the next release
     * during a rolling upgrade) goes out byte for byte under its writer's id, and today's readers still read it.
     */
    @Test
    void aRowWrittenWithAnotherSchemaVersionIsPublishedUnderThatVersion() throws IOException {
        Schema current = PreorderPlaced.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>(current.getFields().stream().map(field -> new Schema.Field(field, field.schema())).toList());
        fields.add(new Schema.Field("giftWrap", Schema.create(Schema.Type.STRING), "added by the next release", "none"));
        Schema next = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        int nextId = registry.register(SUBJECT, next.toString());
        String key = UUID.randomUUID().toString();
        PreorderPlaced event = TestEvents.preorderPlaced(key, 7);
        // The next release's bytes: today's fields, then the new one (Avro binary is the fields in order).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<PreorderPlaced>(current).write(event, encoder);
        encoder.writeString("red ribbon");
        encoder.flush();
        byte[] payload = bytes.toByteArray();

        jdbc.update("insert into outbox_message (topic, message_key, schema_id, payload) values (?, ?, ?, ?)",
                Topics.PREORDER_PLACED, key, nextId, payload);

        ConsumerRecord<String, byte[]> published = awaitOne(key);
        assertThat(ByteBuffer.wrap(published.value(), 1, 4).getInt()).as("the writer's schema id").isEqualTo(nextId);
        assertThat(Arrays.copyOfRange(published.value(), 5, published.value().length)).as("the row's bytes").isEqualTo(payload);
        PreorderPlaced read = avro.of(PreorderPlaced.class).decode(published);
        assertThat(read.getCustomerId()).isEqualTo("customer-7");
        assertThat(read.getPlacedAt()).isEqualTo(event.getPlacedAt());
    }

    /** Release v0.1.0 wrote rows that name their class, not their schema: they go out under that release's schema. */
    @Test
    void aRowLeftByReleaseV010IsPublishedUnderThatReleasesSchema() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String file : List.of("types/Channel.avsc", "types/Variant.avsc", "PreorderPlaced.avsc")) {
            parser.parse(getClass().getResourceAsStream("/avro-history/v0.1.0/" + file));
        }
        Schema released = parser.getTypes().get("com.su7.events.PreorderPlaced");
        // As release v0.1.0 registered it when it started (this registry has met only today's schema so far).
        registry.register(SUBJECT, released.toString());
        String key = UUID.randomUUID().toString();
        PreorderPlaced event = TestEvents.preorderPlaced(key, 5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<PreorderPlaced>(released, SpecificData.getForClass(PreorderPlaced.class)).write(event, encoder);
        encoder.flush();

        jdbc.update("insert into outbox_event (topic, message_key, event_type, payload) values (?, ?, ?, ?)",
                Topics.PREORDER_PLACED, key, PreorderPlaced.class.getName(), bytes.toByteArray());

        ConsumerRecord<String, byte[]> published = awaitOne(key);
        int writerId = ByteBuffer.wrap(published.value(), 1, 4).getInt();
        assertThat(SchemaNormalization.parsingFingerprint64(new Schema.Parser().parse(registry.schemaById(writerId))))
                .as("published under v0.1.0's schema").isEqualTo(SchemaNormalization.parsingFingerprint64(released));
        assertThat(avro.of(PreorderPlaced.class).decode(published)).isEqualTo(event);
        assertThat(jdbc.queryForObject("select count(*) from outbox_event", Integer.class)).isZero();
    }

    @Test
    void aRowOfReleaseV010WhoseSchemaIsUnknownIsSetAsideWithItsReason() {
        String key = UUID.randomUUID().toString();
        jdbc.update("insert into outbox_event (topic, message_key, event_type, payload) values (?, ?, ?, ?)",
                Topics.PREORDER_PLACED, key, "com.su7.events.PreorderWithdrawn", new byte[] {2, 4});

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(setAside.list(100)).anySatisfy(row -> {
            assertThat(row.key()).isEqualTo(key);
            assertThat(row.legacyType()).isEqualTo("com.su7.events.PreorderWithdrawn");
            assertThat(row.reason()).contains("v0.1.0").contains("PreorderWithdrawn");
        }));
        long id = setAside.list(100).stream().filter(row -> row.key().equals(key)).findFirst().orElseThrow().id();
        assertThat(setAside.discard(id, "tests")).isTrue();
    }

    @Test
    void aRowThatCannotBeSentIsSetAsideWithItsReasonHoldsItsKeyAndDoesNotStopTheRowsBehindIt() {
        String stuckKey = UUID.randomUUID().toString();
        String otherKey = UUID.randomUUID().toString();
        relay.stop();
        long oversizedId;
        try {
            byte[] oversized = new byte[2 * 1024 * 1024];
            new Random(11).nextBytes(oversized);
            oversizedId = jdbc.queryForObject("""
                    insert into outbox_message (topic, message_key, schema_id, payload) values (?, ?, ?, ?) returning id""",
                    Long.class, Topics.PREORDER_PLACED, stuckKey, currentId(), oversized);
            preorders.place(List.of(TestEvents.preorderPlaced(stuckKey, 2)));
            preorders.place(List.of(TestEvents.preorderPlaced(otherKey, 3)));
        } finally {
            relay.start();
        }

        awaitOne(otherKey);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(setAside.list(100)).anySatisfy(row -> {
            assertThat(row.id()).isEqualTo(oversizedId);
            assertThat(row.reason()).contains("larger than");
        }));
        assertThat(probe.recordsWithKey(Topics.PREORDER_PLACED, stuckKey)).as("its key's later row waits behind it").isEmpty();
        backlog.measure();
        assertThat(meters.get("su7.outbox.set.aside").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(outboxHealth.health(true).getStatus().getCode()).isEqualTo("DEGRADED");

        assertThat(setAside.retry(oversizedId)).isTrue();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(setAside.list(100)).anySatisfy(row ->
                assertThat(row.id()).isEqualTo(oversizedId)));
        assertThat(setAside.discard(oversizedId, "tests")).isTrue();

        assertThat(awaitOne(stuckKey)).as("released once the row that held it was discarded").isNotNull();
        assertThat(setAside.discard(oversizedId, "tests")).as("discarded already").isFalse();
        backlog.measure();
        assertThat(outboxHealth.health(true).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void theBacklogAndTheAgeOfItsOldestRowAreMeasuredWhileNothingIsPublished() {
        relay.stop();
        try {
            preorders.place(List.of(TestEvents.preorderPlaced(UUID.randomUUID().toString(), 1),
                    TestEvents.preorderPlaced(UUID.randomUUID().toString(), 2)));
            jdbc.update("update outbox_message set created_at = now() - interval '10 minutes' where id = (select min(id) from outbox_message)");

            backlog.measure();

            assertThat(meters.get("su7.outbox.backlog").gauge().value()).isGreaterThanOrEqualTo(2);
            assertThat(meters.get("su7.outbox.oldest.age").gauge().value()).isGreaterThanOrEqualTo(600);
            assertThat(outboxHealth.health(true).getStatus().getCode()).as("stale beyond su7.messaging.outbox.stale-after")
                    .isEqualTo("DEGRADED");
        } finally {
            relay.start();
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            backlog.measure();
            assertThat(meters.get("su7.outbox.backlog").gauge().value()).isZero();
            assertThat(outboxHealth.health(true).getStatus()).isEqualTo(Status.UP);
        });
    }

    private int currentId() {
        return registry.register(SUBJECT, PreorderPlaced.getClassSchema().toString());
    }

    private ConsumerRecord<String, byte[]> awaitOne(String key) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(probe.recordsWithKey(Topics.PREORDER_PLACED, key)).hasSize(1));
        return probe.recordsWithKey(Topics.PREORDER_PLACED, key).getFirst();
    }
}
