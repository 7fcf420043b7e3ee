package com.su7.messaging.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a listener take a new consumer group without a replay: before the listeners start, a group that has no
 * committed offsets yet starts from the offsets its former group committed for the listener's topics. The house's
 * convention is one group per listener, named after the listener's id; a listener that once shared a group (as
 * production's did, {@code production-service}) would otherwise start its new group from the earliest offset and
 * re-read topics kept forever, further back than the inbox's 14 days of deduplication reach.
 */
public final class ConsumerGroupRenames implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupRenames.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Map<String, String> formerGroups;
    private final KafkaAdmin kafkaAdmin;
    private final ObjectProvider<KafkaListenerEndpointRegistry> listeners;
    private volatile boolean running;

    /**
     * @param formerGroups listener id (its group now) to the group it used to be in
     * @param listeners    looked up only when this starts: a bean that depends on the registry would have the
     *                     lifecycle start the registry, and so the listeners, before it (whatever the phases say)
     */
    public ConsumerGroupRenames(Map<String, String> formerGroups, KafkaAdmin kafkaAdmin,
                                ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
        this.formerGroups = Map.copyOf(formerGroups);
        this.kafkaAdmin = kafkaAdmin;
        this.listeners = listeners;
    }

    @Override
    public void start() {
        formerGroups.forEach((group, former) -> {
            MessageListenerContainer container = listeners.getObject().getListenerContainer(group);
            if (container == null) {
                throw new IllegalStateException("su7.messaging.former-consumer-groups names %s, but no listener has that id".formatted(group));
            }
            carryOver(group, former, List.of(container.getContainerProperties().getTopics()));
        });
        running = true;
    }

    /** Copies the former group's offsets of these topics to the group, unless the group has offsets of its own. */
    public void carryOver(String group, String former, Collection<String> topics) {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            if (!committed(admin, group).isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            committed(admin, former).forEach((partition, offset) -> {
                if (offset != null && topics.contains(partition.topic())) {
                    offsets.put(partition, new OffsetAndMetadata(offset.offset()));
                }
            });
            if (offsets.isEmpty()) {
                return;
            }
            admin.alterConsumerGroupOffsets(group, offsets).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("consumer group {} starts where {} left {} ({} partitions)", group, former, topics, offsets.size());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not carry the offsets of consumer group %s over to %s".formatted(former, group), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while carrying consumer group offsets over", e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
            throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the listener containers start. */
    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 1;
    }
}
