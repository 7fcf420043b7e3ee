package com.su7.messaging;

import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import com.su7.messaging.kafka.KafkaClientSettings;
import com.su7.messaging.outbox.OutboxRelay;
import com.su7.testsupport.SharedLocalStack;
import com.su7.testsupport.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raising a keyed topic's partition count moves about half of its keys to another partition. Done naively, a
 * preorder's later events can be read before its earlier ones; drained and raised as the README's "Repartitioning a
 * topic" says, every key's events are read in order and none is lost. Both on a topic of their own on the local
 * stack's Kafka, with a relay that takes the outbox relay's advisory lock per batch as {@link OutboxRelay} does.
 */
@WithLocalStack
class RepartitioningIntegrationTests {

    private static final int KEYS = 60;
    private static final int EVENTS_BEFORE = 10;
    private static final int EVENTS_AFTER = 10;
    private static final int OLD_PARTITIONS = 3;
    private static final int NEW_PARTITIONS = 6;
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Duration METADATA_MAX_AGE = Duration.ofSeconds(5);

    LocalStack stack = SharedLocalStack.get();
    Map<String, Object> admin = stack.kafkaClientSettings(KafkaPrincipal.ADMIN);
    List<String> keys = IntStream.range(0, KEYS).mapToObj(i -> UUID.randomUUID().toString()).toList();

    @Test
    void aNaiveRaiseMovesKeysOfPreordersInFlightAndTheirLaterEventsCanBeReadFirst() throws Exception {
        String topic = newTopic();
        try (Admin kafka = Admin.create(admin); KafkaProducer<String, String> before = producer()) {
            send(before, topic, 1, EVENTS_BEFORE);
            // Raised while no consumer has read those events yet (a group behind, as during a launch burst).
            kafka.createPartitions(Map.of(topic, NewPartitions.increaseTo(NEW_PARTITIONS))).all().get();
            try (KafkaProducer<String, String> after = producer()) {
                send(after, topic, EVENTS_BEFORE + 1, EVENTS_BEFORE + EVENTS_AFTER);
            }
        }
        List<String> moved = keys.stream().filter(key -> partition(key, OLD_PARTITIONS) != partition(key, NEW_PARTITIONS)).toList();
        assertThat(moved).as("keys whose later events went to another partition than their earlier ones").isNotEmpty();

        // The group's instance that owns a new partition is up to date, the one owning the old partitions behind:
        // nothing in Kafka orders two partitions, so it applies a moved preorder's later events first.
        Map<String, List<Integer>> applied = new LinkedHashMap<>();
        readAll(topic, IntStream.range(OLD_PARTITIONS, NEW_PARTITIONS), applied);
        readAll(topic, IntStream.range(0, OLD_PARTITIONS), applied);
        assertThat(moved).allSatisfy(key -> assertThat(applied.get(key)).as("events of %s as applied", key)
                .startsWith(EVENTS_BEFORE + 1).hasSize(EVENTS_BEFORE + EVENTS_AFTER));
    }

    @Test
    void drainingTheTopicBeforeTheRaiseKeepsEveryKeysEventsInOrderAndLosesNone() throws Exception {
        String topic = newTopic();
        String database = "repartitioning";
        stack.database(database);
        DataSource relayDatabase = stack.postgresSuperuser(database);
        String group = "repartitioning-" + UUID.randomUUID();
        Map<String, List<Integer>> applied = new LinkedHashMap<>();
        List<Sent> sent = new ArrayList<>();

        try (Admin kafka = Admin.create(admin); Relay relay = new Relay(relayDatabase, topic, sent)) {
            keys.forEach(key -> IntStream.rangeClosed(1, EVENTS_BEFORE).forEach(seq -> relay.record(key, seq)));
            await().atMost(PATIENCE).until(() -> relay.pending() == 0);

            // 1. Hold the relays: the outbox keeps what is recorded meanwhile (REST goes on taking preorders).
            try (Connection hold = holdRelay(relayDatabase)) {
                keys.forEach(key -> IntStream.rangeClosed(EVENTS_BEFORE + 1, EVENTS_BEFORE + EVENTS_AFTER)
                        .forEach(seq -> relay.record(key, seq)));
                // A consuming service that has read none of it yet: its group is behind by all of it.
                Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                IntStream.range(0, OLD_PARTITIONS).forEach(partition -> start.put(new TopicPartition(topic, partition), new OffsetAndMetadata(0)));
                kafka.alterConsumerGroupOffsets(group, start).all().get();
                assertThat(lagOf(kafka, topic)).as("groups behind when the drain starts").containsEntry(group, (long) KEYS * EVENTS_BEFORE);
                try (Consumers consumers = new Consumers(topic, group, applied)) {

                    // 2. Wait until every consumer group of the topic has read all of it.
                    await().atMost(PATIENCE).until(() -> lagOf(kafka, topic).values().stream().allMatch(lag -> lag == 0));
                    // 3. Raise the dead-letter twin first (a dead letter keeps its partition number), then the topic.
                    kafka.createPartitions(Map.of(Topics.deadLetterOf(topic), NewPartitions.increaseTo(NEW_PARTITIONS))).all().get();
                    kafka.createPartitions(Map.of(topic, NewPartitions.increaseTo(NEW_PARTITIONS))).all().get();
                    // 4. Keep the relays held until every client has refreshed its metadata: the relay's producer,
                    //    created before the raise, then hashes over the new count from its first record on.
                    Thread.sleep(METADATA_MAX_AGE.multipliedBy(2).toMillis());
                    assertThat(relay.pending()).as("nothing left the outbox while held").isEqualTo(KEYS * EVENTS_AFTER);
                    // 5. Let the relays go (ending the session releases the lock).
                    hold.close();

                    await().atMost(PATIENCE).until(() -> consumers.distinct() == KEYS * (EVENTS_BEFORE + EVENTS_AFTER));
                }
            }
        }

        List<Integer> inOrder = IntStream.rangeClosed(1, EVENTS_BEFORE + EVENTS_AFTER).boxed().toList();
        assertThat(keys).allSatisfy(key -> assertThat(new LinkedHashSet<>(applied.get(key))).as("events of %s as applied", key)
                .containsExactlyElementsOf(inOrder));
        assertThat(sent).filteredOn(record -> record.seq() > EVENTS_BEFORE)
                .as("after the raise every record went where the new partition count puts its key")
                .allSatisfy(record -> assertThat(record.partition()).isEqualTo(partition(record.key(), NEW_PARTITIONS)))
                .anySatisfy(record -> assertThat(record.partition()).isNotEqualTo(partition(record.key(), OLD_PARTITIONS)));
    }

    private String newTopic() throws ExecutionException, InterruptedException {
        String topic = "repartitioning-" + UUID.randomUUID();
        try (Admin kafka = Admin.create(admin)) {
            kafka.createTopics(List.of(new NewTopic(topic, OLD_PARTITIONS, (short) 1),
                    new NewTopic(Topics.deadLetterOf(topic), OLD_PARTITIONS, (short) 1))).all().get();
        }
        return topic;
    }

    /** What Kafka's default partitioner does with a key, for a partition count. */
    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * A producer as the services configure theirs (idempotent, {@code acks=all}) but with a metadata age of
     * {@link #METADATA_MAX_AGE}: the procedure holds the relays for twice the clients' age, whatever it is, and the
     * services' 30 s would make this test wait a minute for nothing more.
     */
    private KafkaProducer<String, String> producer() {
        Map<String, Object> settings = new HashMap<>(admin);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, (int) METADATA_MAX_AGE.toMillis());
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> settings = new HashMap<>(admin);
        settings.putAll(KafkaClientSettings.rawBytesConsumer(settings));
        settings.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) METADATA_MAX_AGE.toMillis());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        settings.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }

    private void send(KafkaProducer<String, String> producer, String topic, int firstSeq, int lastSeq) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int seq = firstSeq; seq <= lastSeq; seq++) {
            for (String key : keys) {
                acks.add(producer.send(new ProducerRecord<>(topic, key, Integer.toString(seq))));
            }
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    private void readAll(String topic, IntStream partitions, Map<String, List<Integer>> applied) {
        try (KafkaConsumer<String, String> consumer = consumer("naive-" + UUID.randomUUID())) {
            List<TopicPartition> assigned = partitions.mapToObj(partition -> new TopicPartition(topic, partition)).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            while (assigned.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record ->
                        applied.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(Integer.parseInt(record.value())));
            }
        }
    }

    /** Committed offsets behind the end of the topic, per consumer group that has read it. */
    private static Map<String, Long> lagOf(Admin kafka, String topic) throws ExecutionException, InterruptedException {
        Map<String, Long> lag = new HashMap<>();
        for (GroupListing listing : kafka.listGroups().all().get()) {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(listing.groupId())
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            committed.keySet().stream().filter(partition -> partition.topic().equals(topic))
                    .forEach(partition -> partitions.put(partition, OffsetSpec.latest()));
            if (partitions.isEmpty()) {
                continue;
            }
            // Partitions the group has not committed on yet count from 0.
            kafka.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(info -> partitions.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
            long behind = 0;
            for (var end : kafka.listOffsets(partitions).all().get().entrySet()) {
                OffsetAndMetadata offset = committed.get(end.getKey());
                behind += end.getValue().offset() - (offset == null ? 0 : offset.offset());
            }
            lag.put(listing.groupId(), behind);
        }
        return lag;
    }

    /** Takes the outbox relay's advisory lock in a session of its own; closing the session releases it. */
    private static Connection holdRelay(DataSource database) throws SQLException {
        Connection session = database.getConnection();
        try (PreparedStatement lock = session.prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, OutboxRelay.RELAY_LOCK);
            lock.execute();
        }
        return session;
    }

    record Pending(String key, int seq) {
    }

    record Sent(String key, int seq, int partition) {
    }

    /**
     * An outbox and its relay, reduced to what repartitioning depends on: one long-lived producer, and per batch the
     * relay's advisory lock in the batch's transaction ({@code pg_try_advisory_xact_lock}, as {@link OutboxRelay}).
     */
    private final class Relay implements AutoCloseable {

        private final List<Pending> outbox = new ArrayList<>();
        private final DataSource database;
        private final String topic;
        private final List<Sent> sent;
        private final KafkaProducer<String, String> producer = producer();
        private final Thread thread;
        private volatile boolean running = true;

        Relay(DataSource database, String topic, List<Sent> sent) {
            this.database = database;
            this.topic = topic;
            this.sent = sent;
            this.thread = Thread.ofPlatform().name("test-relay").start(this::run);
        }

        synchronized void record(String key, int seq) {
            outbox.add(new Pending(key, seq));
        }

        synchronized int pending() {
            return outbox.size();
        }

        private synchronized List<Pending> oldest() {
            return List.copyOf(outbox.subList(0, Math.min(200, outbox.size())));
        }

        private synchronized void delete(int published) {
            outbox.subList(0, published).clear();
        }

        private void run() {
            while (running) {
                try (Connection connection = database.getConnection()) {
                    connection.setAutoCommit(false);
                    int published = 0;
                    if (leader(connection)) {
                        published = publish(oldest());
                    }
                    connection.commit();
                    if (published == 0) {
                        Thread.sleep(50); // the relay's poll interval
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException("test relay failed", e);
                }
            }
        }

        private boolean leader(Connection connection) throws SQLException {
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, OutboxRelay.RELAY_LOCK);
                try (ResultSet result = lock.executeQuery()) {
                    result.next();
                    return result.getBoolean(1);
                }
            }
        }

        private int publish(List<Pending> batch) throws ExecutionException, InterruptedException {
            List<Future<RecordMetadata>> acks = batch.stream()
                    .map(row -> producer.send(new ProducerRecord<>(topic, row.key(), Integer.toString(row.seq())))).toList();
            for (int i = 0; i < batch.size(); i++) {
                RecordMetadata metadata = acks.get(i).get();
                synchronized (sent) {
                    sent.add(new Sent(batch.get(i).key(), batch.get(i).seq(), metadata.partition()));
                }
            }
            delete(batch.size());
            return batch.size();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
            producer.close();
        }
    }

    /** Two instances of a consuming service in one group: each applies a poll, then commits it, as the inbox does. */
    private final class Consumers implements AutoCloseable {

        private final List<Thread> instances = new ArrayList<>();
        private final Map<String, List<Integer>> applied;
        private volatile boolean running = true;
        private final Set<String> distinct = new HashSet<>();

        Consumers(String topic, String group, Map<String, List<Integer>> applied) {
            this.applied = applied;
            for (int instance = 0; instance < 2; instance++) {
                KafkaConsumer<String, String> consumer = consumer(group);
                instances.add(Thread.ofPlatform().name("test-consumer-" + instance).start(() -> consume(consumer, topic)));
            }
        }

        private void consume(KafkaConsumer<String, String> consumer, String topic) {
            try (consumer) {
                consumer.subscribe(List.of(topic));
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<String, String> record : records) {
                        synchronized (this) {
                            applied.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(Integer.parseInt(record.value()));
                            distinct.add(record.key() + "/" + record.value());
                        }
                    }
                    consumer.commitSync();
                }
            }
        }

        /** Events applied, a redelivered one (after a rebalance) counted once. */
        synchronized int distinct() {
            return distinct.size();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread instance : instances) {
                instance.join();
            }
        }
    }
}
