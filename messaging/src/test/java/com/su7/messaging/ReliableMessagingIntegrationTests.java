package com.su7.messaging;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.localstack.LocalStack;
import com.su7.messaging.deadletter.DeadLetterTopicCopies;
import com.su7.messaging.kafka.KafkaClientSettings;
import com.su7.messaging.inbox.ProcessedEventsCleanup;
import com.su7.messaging.outbox.OutboxRelay;
import com.su7.messaging.tracing.TraceHeaders;
import com.su7.testsupport.KafkaProbe;
import com.su7.messaging.testapp.MessagingTestApplication;
import com.su7.messaging.testapp.Preorders;
import com.su7.messaging.testapp.TestEvents;
import com.su7.testsupport.SharedLocalStack;
import com.su7.testsupport.WithLocalStack;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.su7.testsupport.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outbox, idempotent batch consumption and dead letters against real Kafka, registry and PostgreSQL. */
@SpringBootTest(classes = MessagingTestApplication.class)
@WithLocalStack
class ReliableMessagingIntegrationTests {

    private static final String CONSUMER = "messaging-tests.preorder-placed";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    Preorders preorders;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    OutboxRelay relay;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    ProcessedEventsCleanup cleanup;
    @Autowired
    MeterRegistry meters;
    @Autowired
    MessagingProperties messagingProperties;
    @Autowired
    Tracer tracer;

    LocalStack stack = SharedLocalStack.get();
    KafkaProbe probe;

    @BeforeEach
    void probe() {
        probe = new KafkaProbe(stack);
    }

    @Test
    void publishesOutboxEventsInOrderPerKeyAndAppliesEachOnce() {
        List<String> keys = IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID().toString()).toList();
        for (int batch = 0; batch < 4; batch++) {
            List<PreorderPlaced> events = new ArrayList<>();
            for (int sequence = batch * 10; sequence < batch * 10 + 10; sequence++) {
                for (String key : keys) {
                    events.add(TestEvents.preorderPlaced(key, sequence));
                }
            }
            preorders.place(events);
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(keys)).isEqualTo(200));
        for (String key : keys) {
            List<Integer> sequences = jdbc.queryForList(
                    "select sequence from applied_event where preorder_id = ? order by applied_order", Integer.class, key);
            assertThat(sequences).as("applied order of key %s", key).isSorted().hasSize(40).doesNotHaveDuplicates();
        }
        // The listener answered each with a UnitBuilt through the outbox: those drain too.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from outbox_message where message_key = any(?)", Integer.class,
                (Object) keys.toArray(String[]::new))).as("published rows are deleted").isZero());
        assertThat(meters.counter("su7.outbox.published", "topic", Topics.PREORDER_PLACED).count()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void anEventCommittedWhileTheRelayIsDownIsPublishedAfterRestartAndAppliedOnceEvenIfSentTwice() {
        String key = UUID.randomUUID().toString();
        relay.stop();
        try {
            preorders.place(List.of(TestEvents.preorderPlaced(key, 1)));
            // A relay that crashed after sending but before deleting sends the same row again: model that with a copy.
            jdbc.update("""
                    insert into outbox_message (topic, message_key, schema_id, payload, traceparent, correlation_id)
                    select topic, message_key, schema_id, payload, traceparent, correlation_id from outbox_message where message_key = ?""", key);
            assertThat(jdbc.queryForObject("select count(*) from outbox_message where message_key = ?", Integer.class, key)).isEqualTo(2);
            assertThat(probe.recordsWithKey(Topics.PREORDER_PLACED, key)).as("nothing published while the relay is down").isEmpty();
        } finally {
            relay.start();
        }

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(probe.recordsWithKey(Topics.PREORDER_PLACED, key)).hasSize(2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(List.of(key))).isEqualTo(1));
        // A later event on the same key is applied after it, so the duplicate had its chance and was skipped.
        preorders.place(List.of(TestEvents.preorderPlaced(key, 2)));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(List.of(key))).isEqualTo(2));
        assertThat(jdbc.queryForList("select sequence from applied_event where preorder_id = ? order by applied_order",
                Integer.class, key)).containsExactly(1, 2);
    }

    @Test
    void theSameEventDeliveredTwiceIsAppliedOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        PreorderPlaced event = TestEvents.preorderPlaced(key, 1);
        kafka.send(Topics.PREORDER_PLACED, key, event).get();
        kafka.send(Topics.PREORDER_PLACED, key, event).get();
        kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 2)).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(List.of(key))).isEqualTo(2));
        assertThat(jdbc.queryForObject("select count(*) from applied_event where event_id = ?", Integer.class,
                event.getEventId())).isEqualTo(1);
    }

    @Test
    void theAgeOfEachAppliedEventIsCountedFromItsOccurredAtOnceDuplicatesNot() throws Exception {
        String key = UUID.randomUUID().toString();
        PreorderPlaced late = TestEvents.preorderPlaced(key, 1);
        late.setOccurredAt(Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS));
        long lateBefore = eventsAppliedLate();

        kafka.send(Topics.PREORDER_PLACED, key, late).get();
        kafka.send(Topics.PREORDER_PLACED, key, late).get();
        kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 2)).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(List.of(key))).isEqualTo(2));
        // The duplicate came before the second event on the partition: had it counted, it would have by now.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventsAppliedLate() - lateBefore)
                .as("events applied 5 to 60 minutes after they occurred").isEqualTo(1));
        assertThat(eventAges().max(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(600);
    }

    @Test
    void poisonRecordsAreDeadLetteredWithTheirReasonByEachConsumerAndTheRecordsAfterThemAreApplied() throws Exception {
        byte[] valid = serialized(TestEvents.preorderPlaced("any", 0));
        byte[] randomBytes = new byte[64];
        new Random(7).nextBytes(randomBytes);
        randomBytes[0] = 0x42;
        byte[] wrongMagicByte = valid.clone();
        wrongMagicByte[0] = 1;
        byte[] unknownSchemaId = ByteBuffer.allocate(valid.length).put((byte) 0).putInt(987_654)
                .put(valid, 5, valid.length - 5).array();
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);
        List<byte[]> poison = Arrays.asList(randomBytes, wrongMagicByte, unknownSchemaId, truncated, new byte[0], null);
        List<String> keys = new ArrayList<>();
        for (byte[] value : poison) {
            String key = UUID.randomUUID().toString();
            keys.add(key);
            probe.send(Topics.PREORDER_PLACED, key, value);
        }
        String refusedKey = UUID.randomUUID().toString();
        keys.add(refusedKey);
        PreorderPlaced refused = TestEvents.preorderPlaced(refusedKey, 1);
        refused.setExteriorColor("Refused Red");
        kafka.send(Topics.PREORDER_PLACED, refusedKey, refused).get();
        String after = UUID.randomUUID().toString();
        kafka.send(Topics.PREORDER_PLACED, after, TestEvents.preorderPlaced(after, 2)).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(List.of(after))).isEqualTo(1));
        for (String consumer : List.of(CONSUMER, "messaging-tests.audit")) {
            List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
            await().atMost(PATIENCE).untilAsserted(() -> {
                deadLetters.clear();
                for (String key : keys) {
                    deadLetters.addAll(probe.recordsWithKey(Topics.PREORDER_PLACED_DLT, key).stream()
                            .filter(record -> consumer.equals(header(record, DeadLetterTopicCopies.CONSUMER))).toList());
                }
                assertThat(deadLetters).as("dead letters of %s", consumer).hasSize(7);
            });
            for (int i = 0; i < 7; i++) {
                ConsumerRecord<String, byte[]> deadLetter = deadLetters.get(i);
                ConsumerRecord<String, byte[]> original = probe.recordsWithKey(Topics.PREORDER_PLACED, keys.get(i)).getFirst();
                assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(Topics.PREORDER_PLACED);
                assertThat(deadLetter.headers().lastHeader("kafka_dlt-original-offset")).isNotNull();
                assertThat(header(deadLetter, "kafka_dlt-original-consumer-group")).isEqualTo(consumer);
                assertThat(header(deadLetter, DeadLetterTopicCopies.SERVICE)).isEqualTo("messaging-tests");
                assertThat(header(deadLetter, DeadLetterTopicCopies.ATTEMPTS)).as("judged at fault twice").isEqualTo("2");
                assertThat(header(deadLetter, DeadLetterTopicCopies.FIRST_FAILURE)).isNotBlank();
                assertThat(header(deadLetter, DeadLetterTopicCopies.LAST_FAILURE)).isNotBlank();
                assertThat(header(deadLetter, "kafka_dlt-exception-message")).isNotBlank();
                assertThat(deadLetter.value()).as("dead letter %d keeps the original bytes", i).isEqualTo(original.value());
            }
            assertThat(header(deadLetters.get(0), "kafka_dlt-exception-message")).contains("not in the Confluent wire format");
            assertThat(header(deadLetters.get(2), "kafka_dlt-exception-message")).contains("cannot decode");
            assertThat(header(deadLetters.get(5), "kafka_dlt-exception-message")).contains("no value");
            assertThat(header(deadLetters.get(6), "kafka_dlt-exception-message")).contains("Refused Red");
            assertThat(meters.counter("su7.messaging.dead-lettered", "topic", Topics.PREORDER_PLACED, "consumer", consumer,
                    "state", "OPEN", "reason", "PermanentEventException").count()).isGreaterThanOrEqualTo(7);
        }
        assertThat(jdbc.queryForList("select distinct consumer_group from dead_letter where record_key = any(?)", String.class,
                (Object) keys.toArray(String[]::new))).containsExactlyInAnyOrder(CONSUMER, "messaging-tests.audit");
    }

    @Test
    void aDatabaseOutageDelaysProcessingAndLosesOrDeadLettersNothing() throws Exception {
        List<String> keys = IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID().toString()).toList();
        JdbcTemplate superuser = new JdbcTemplate(stack.postgresSuperuser("messaging_tests"));
        double retriesBefore = meters.counter("su7.messaging.retries", "listener", CONSUMER).count();
        lockOut(superuser, true);
        try {
            for (String key : keys) {
                kafka.send(Topics.PREORDER_PLACED, key, TestEvents.preorderPlaced(key, 1)).get();
            }
            await().atMost(PATIENCE).untilAsserted(() ->
                    assertThat(meters.counter("su7.messaging.retries", "listener", CONSUMER).count()).isGreaterThan(retriesBefore + 2));
            assertThat(appliedCount(superuser, keys)).isZero();
        } finally {
            lockOut(superuser, false);
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appliedCount(superuser, keys)).isEqualTo(20));
        for (String key : keys) {
            assertThat(probe.recordsWithKey(Topics.PREORDER_PLACED_DLT, key)).isEmpty();
        }
    }

    @Test
    void aTraceGoesOnThroughTheOutboxAndTheListenerToTheEventsItCauses() {
        String key = UUID.randomUUID().toString();
        String correlationId = "checkout-" + UUID.randomUUID();
        Span request = tracer.nextSpan().name("place").start();
        try (Tracer.SpanInScope inSpan = tracer.withSpan(request);
             BaggageInScope baggage = tracer.createBaggageInScope(TraceHeaders.CORRELATION_ID, correlationId)) {
            preorders.place(List.of(TestEvents.preorderPlaced(key, 1)));
        } finally {
            request.end();
        }
        String traceId = request.context().traceId();

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> sent = probe.recordsWithKey(Topics.PREORDER_PLACED, key);
            assertThat(sent).hasSize(1);
            String traceparent = header(sent.getFirst(), TraceHeaders.TRACEPARENT);
            assertThat(traceparent).as("sent with a traceparent").isNotNull();
            assertThat(TraceHeaders.traceIdOf(traceparent)).isEqualTo(traceId);
            assertThat(traceparent).as("sent from the outbox's own span").doesNotContain(request.context().spanId());
            assertThat(header(sent.getFirst(), TraceHeaders.CORRELATION_ID)).isEqualTo(correlationId);
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select substr(traceparent, 4, 32) || ' ' || correlation_id from applied_event where preorder_id = ?", String.class, key))
                .as("applied in the trace, the caller's correlation id in its baggage").containsExactly(traceId + " " + correlationId));
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> caused = probe.recordsWithKey(Topics.UNIT_BUILT, key);
            assertThat(caused).hasSize(1);
            String traceparent = header(caused.getFirst(), TraceHeaders.TRACEPARENT);
            assertThat(traceparent).as("sent with a traceparent").isNotNull();
            assertThat(TraceHeaders.traceIdOf(traceparent)).isEqualTo(traceId);
            assertThat(header(caused.getFirst(), TraceHeaders.CORRELATION_ID)).isEqualTo(correlationId);
        });
    }

    @Test
    void aRowAnEarlierReleaseWroteWithACorrelationIdOnlyGoesOutWithIt() {
        String key = UUID.randomUUID().toString();
        String correlationId = "earlier-" + UUID.randomUUID();
        relay.stop();
        try {
            preorders.place(List.of(TestEvents.preorderPlaced(key, 1)));
            // As the previous release writes its rows: a correlation id, no traceparent column it knows of.
            jdbc.update("update outbox_message set traceparent = null, correlation_id = ? where message_key = ?", correlationId, key);
        } finally {
            relay.start();
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> sent = probe.recordsWithKey(Topics.PREORDER_PLACED, key);
            assertThat(sent).hasSize(1);
            assertThat(header(sent.getFirst(), TraceHeaders.TRACEPARENT)).isNull();
            assertThat(header(sent.getFirst(), TraceHeaders.CORRELATION_ID)).isEqualTo(correlationId);
        });
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> caused = probe.recordsWithKey(Topics.UNIT_BUILT, key);
            assertThat(caused).hasSize(1);
            assertThat(header(caused.getFirst(), TraceHeaders.CORRELATION_ID)).isEqualTo(correlationId);
            assertThat(header(caused.getFirst(), TraceHeaders.TRACEPARENT)).as("the consumer began a trace for it").isNotNull();
        });
    }

    @Test
    void forgetsProcessedEventIdsOlderThanTheDeduplicationWindowOnly() {
        String old = "old-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        jdbc.update("insert into processed_event (consumer, event_id, processed_at) values ('cleanup-test', ?, now() - interval '15 days')", old);
        jdbc.update("insert into processed_event (consumer, event_id, processed_at) values ('cleanup-test', ?, now() - interval '13 days')", recent);

        assertThat(cleanup.cleanUp()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.queryForList("select event_id from processed_event where consumer = 'cleanup-test'", String.class))
                .contains(recent).doesNotContain(old);
    }

    private int appliedCount(List<String> keys) {
        return appliedCount(jdbc, keys);
    }

    private Timer eventAges() {
        return meters.get("su7.messaging.event.age").tags("consumer", CONSUMER, "topic", Topics.PREORDER_PLACED).timer();
    }

    /**
     * Events of the consumer applied between 5 minutes and an hour after they occurred: the difference of two buckets
     * of the histogram (a registry may keep its buckets for a time window only, so not the total count).
     */
    private long eventsAppliedLate() {
        if (meters.find("su7.messaging.event.age").tags("consumer", CONSUMER).timer() == null) {
            return 0;
        }
        CountAtBucket[] buckets = eventAges().takeSnapshot().histogramCounts();
        return countAt(buckets, Duration.ofHours(1)) - countAt(buckets, Duration.ofMinutes(5));
    }

    private static long countAt(CountAtBucket[] buckets, Duration bound) {
        return (long) Arrays.stream(buckets).filter(bucket -> bucket.bucket(TimeUnit.NANOSECONDS) == bound.toNanos())
                .findFirst().orElseThrow(() -> new AssertionError("no bucket at " + bound)).count();
    }

    private static int appliedCount(JdbcTemplate jdbc, List<String> keys) {
        return jdbc.queryForObject("select count(*) from applied_event where preorder_id = any(?)", Integer.class,
                (Object) keys.toArray(String[]::new));
    }

    private byte[] serialized(PreorderPlaced event) {
        try (AvroKafkaSerializer<PreorderPlaced> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(KafkaClientSettings.avroProducer(messagingProperties), false);
            return serializer.serialize(Topics.PREORDER_PLACED, event);
        }
    }

    private static void lockOut(JdbcTemplate superuser, boolean locked) {
        superuser.execute("alter role messaging_tests " + (locked ? "nologin" : "login"));
        if (locked) {
            superuser.queryForList("select pg_terminate_backend(pid) from pg_stat_activity where usename = 'messaging_tests'");
        }
    }
}
