package com.su7.simulation;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Reads topics on a thread of its own from where they end when it starts (the simulation reports on its own run,
 * whatever a kept data directory holds), until closed: in a consumer group (committing after each batch is handled),
 * or on every partition by assign() with no group (a read-only observer). A record its handler cannot take is
 * logged, counted and skipped.
 */
final class TopicReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final String groupId;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Runnable afterPoll;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CompletableFuture<Void> caughtUp;
    /** The ends to reach for {@link #caughtUp}, read when that was asked for. */
    private Map<TopicPartition, Long> catchUpTo;
    private CompletableFuture<Void> catchUpToFor;

    private TopicReader(String name, Map<String, Object> settings, List<String> topics, String groupId,
                        Consumer<ConsumerRecord<String, byte[]>> handler, Runnable afterPoll) {
        this.name = name;
        this.topics = topics;
        this.groupId = groupId;
        this.handler = handler;
        this.afterPoll = afterPoll;
        Map<String, Object> consumerSettings = new HashMap<>(settings);
        consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerSettings.put(ConsumerConfig.CLIENT_ID_CONFIG, "launch-simulation." + name);
        if (groupId != null) {
            consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        }
        this.consumer = new KafkaConsumer<>(consumerSettings);
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    }

    /** Reads one topic as a member of {@code groupId}; returns once it has its partitions and their ends. */
    static TopicReader inGroup(String name, Map<String, Object> settings, String groupId, String topic,
                               Consumer<ConsumerRecord<String, byte[]>> handler, Runnable afterPoll) {
        return new TopicReader(name, settings, List.of(topic), groupId, handler, afterPoll).started();
    }

    /** Reads every partition of the topics with no group (it needs only Read and Describe on them); returns once positioned. */
    static TopicReader assigned(String name, Map<String, Object> settings, List<String> topics,
                                Consumer<ConsumerRecord<String, byte[]>> handler) {
        return new TopicReader(name, settings, topics, null, handler, () -> {
        }).started();
    }

    private TopicReader started() {
        thread.start();
        try {
            ready.get(2, TimeUnit.MINUTES);
            return this;
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException("%s could not read %s: %s".formatted(name, topics, e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException("%s got no partitions of %s in two minutes".formatted(name, topics), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException(e);
        }
    }

    private void run() {
        try {
            if (groupId == null) {
                List<TopicPartition> partitions = topics.stream().flatMap(topic -> consumer.partitionsFor(topic).stream())
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
            } else {
                consumer.subscribe(topics, new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        // Only the first assignment starts at the end: a later one continues where the group committed.
                        if (!ready.isDone()) {
                            consumer.seekToEnd(partitions);
                        }
                    }

                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        consumer.commitSync();
                    }
                });
            }
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!ready.isDone() && !consumer.assignment().isEmpty()) {
                    // Positions are resolved lazily: resolve them now, so nothing sent after start() returns is missed.
                    consumer.assignment().forEach(consumer::position);
                    ready.complete(null);
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    read.incrementAndGet();
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        skipped.incrementAndGet();
                        log.warn("{} skipped {}-{}@{}: {}", name, record.topic(), record.partition(), record.offset(), e.getMessage());
                    }
                }
                afterPoll.run();
                if (groupId != null && !records.isEmpty()) {
                    consumer.commitAsync();
                }
                checkCaughtUp();
            }
            if (groupId != null) {
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // close() asked it to stop while it waited
        } catch (RuntimeException e) {
            ready.completeExceptionally(e);
            log.error("{} stopped reading {}", name, topics, e);
            CompletableFuture<Void> waiting = caughtUp;
            if (waiting != null) {
                waiting.completeExceptionally(e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The consumer is not thread-safe: the ends to catch up with are read on its own thread. */
    private void checkCaughtUp() {
        CompletableFuture<Void> waiting = caughtUp;
        if (waiting == null || waiting.isDone()) {
            return;
        }
        if (catchUpToFor != waiting) {
            catchUpTo = consumer.endOffsets(consumer.assignment());
            catchUpToFor = waiting;
        }
        if (catchUpTo.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
            waiting.complete(null);
        }
    }

    /** Waits until it has read everything on its topics as of now; false if that took longer than {@code timeout}. */
    boolean awaitCaughtUp(Duration timeout) {
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        caughtUp = waiting;
        try {
            waiting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until its topics are quiet: it has read all they held, and nothing more came for {@code quiet} (what the
     * services are still sending as the run ends); false if that did not happen by {@code deadline}.
     */
    boolean awaitQuiet(Duration quiet, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            long before = read.get();
            if (!awaitCaughtUp(Duration.between(Instant.now(), deadline))) {
                return false;
            }
            LockSupport.parkNanos(quiet.toNanos());
            if (awaitCaughtUp(Duration.between(Instant.now(), deadline)) && read.get() == before) {
                return true;
            }
        }
        return false;
    }

    /** Records its handler could not take. */
    long skipped() {
        return skipped.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
