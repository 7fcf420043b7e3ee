package com.su7.orders.eta.rebuild;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Reads topics from their first offsets up to given offsets, with a consumer of its own: assigned every
 * partition, never part of a consumer group, committing nothing, so the live listeners' offsets are untouched.
 */
final class TopicReplay implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<String, byte[]> consumer;
    private final Admin admin;
    private final List<TopicPartition> partitions = new ArrayList<>();

    TopicReplay(ConsumerFactory<String, byte[]> consumers, KafkaAdmin kafkaAdmin, Collection<String> topics) {
        this.consumer = consumers.createConsumer("orders.eta-rebuild", "orders-eta-rebuild");
        this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        for (String topic : topics) {
            for (PartitionInfo partition : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, partition.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The offsets after the last record of each partition of the topic. */
    Map<TopicPartition, Long> endOffsets(String topic) {
        return consumer.endOffsets(partitionsOf(topic));
    }

    /**
     * Where a consumer group has got to in the topic: the offsets it committed, or the first offsets where it has
     * committed none (it starts from the earliest).
     */
    Map<TopicPartition, Long> committedOffsets(String group, String topic) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of consumer group " + group, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Map<TopicPartition, Long> offsets = new HashMap<>(consumer.beginningOffsets(partitionsOf(topic)));
        committed.forEach((partition, offset) -> {
            if (offset != null && offsets.containsKey(partition)) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    /** How many records lie between the first offsets and the given ones. */
    long recordsUpTo(Map<TopicPartition, Long> targets) {
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(targets.keySet());
        return targets.entrySet().stream().mapToLong(target -> target.getValue() - beginnings.get(target.getKey())).sum();
    }

    /** How many records the replay still has to read to reach the targets. */
    long recordsBehind(Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().mapToLong(target -> Math.max(0, target.getValue() - consumer.position(target.getKey()))).sum();
    }

    /**
     * Polls and hands each batch to {@code apply} until every partition has reached its target; a record at or
     * beyond its partition's target is not applied (the partition is rewound to the target and paused), so a later
     * call with higher targets goes on from exactly there. If {@code apply} throws, the poll is undone (every
     * partition goes back to where it was before it) and the failure thrown: the next call reads that batch again.
     */
    void readUpTo(Map<TopicPartition, Long> targets, java.util.function.Consumer<List<ConsumerRecord<String, byte[]>>> apply) {
        consumer.resume(partitions);
        while (!reached(targets)) {
            Map<TopicPartition, Long> beforePoll = positions();
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
            for (ConsumerRecord<String, byte[]> record : records) {
                if (record.offset() < targets.get(new TopicPartition(record.topic(), record.partition()))) {
                    batch.add(record);
                }
            }
            if (!batch.isEmpty()) {
                try {
                    apply.accept(batch);
                } catch (RuntimeException failure) {
                    beforePoll.forEach(consumer::seek);
                    throw failure;
                }
            }
            // A partition at its target is rewound there and paused: otherwise every poll would fetch its records
            // beyond the target again, and fill up with them while other partitions are still behind.
            targets.forEach((partition, target) -> {
                long position = consumer.position(partition);
                if (position > target) {
                    consumer.seek(partition, target);
                }
                if (position >= target) {
                    consumer.pause(List.of(partition));
                }
            });
        }
    }

    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
        return positions;
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().allMatch(target -> consumer.position(target.getKey()) >= target.getValue());
    }

    private List<TopicPartition> partitionsOf(String topic) {
        return partitions.stream().filter(partition -> partition.topic().equals(topic)).toList();
    }

    @Override
    public void close() {
        consumer.close();
        admin.close();
    }
}
