package com.su7.messaging.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ListenerUtils;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When a batch listener throws (only {@link EventInbox}'s infrastructure failures reach here: bad records are
 * dead-lettered inside the batch), acknowledges nothing, waits a capped exponential back-off, and seeks every
 * partition of the batch back to its first record, so the next poll redelivers and re-decodes the whole batch.
 * It keeps retrying while the failure lasts: a database or registry outage delays events, it never drops or
 * dead-letters them. Each retry is counted in {@code su7.messaging.retries}.
 * <p>
 * Written here because spring-kafka's {@code DefaultErrorHandler} retries a failed batch in memory (no
 * re-decoding, so a registry outage during decoding never heals) and dead-letters the whole batch once its
 * back-off is exhausted.
 */
public final class RedeliverAfterBackOff implements CommonErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(RedeliverAfterBackOff.class);

    private final Duration initialInterval;
    private final Duration maxInterval;
    private final MeterRegistry meters;
    private final ThreadLocal<Failing> failing = new ThreadLocal<>();

    public RedeliverAfterBackOff(Duration initialInterval, Duration maxInterval, MeterRegistry meters) {
        this.initialInterval = initialInterval;
        this.maxInterval = maxInterval;
        this.meters = meters;
    }

    @Override
    public void handleBatch(Exception thrownException, ConsumerRecords<?, ?> data, Consumer<?, ?> consumer,
                            MessageListenerContainer container, Runnable invokeListener) {
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        for (ConsumerRecord<?, ?> record : data) {
            firstOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        Failing previous = failing.get();
        int attempt = previous != null && previous.firstOffsets().equals(firstOffsets) ? previous.attempt() + 1 : 1;
        failing.set(new Failing(firstOffsets, attempt));
        Duration backOff = backOff(attempt);
        meters.counter("su7.messaging.retries", "listener", String.valueOf(container.getListenerId())).increment();
        log.warn("batch of {} records on {} failed (attempt {}), redelivering in {}: {}", data.count(),
                firstOffsets.keySet(), attempt, backOff, thrownException.toString());
        try {
            ListenerUtils.stoppableSleep(container, backOff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        firstOffsets.forEach(consumer::seek);
    }

    @Override
    public void handleOtherException(Exception thrownException, Consumer<?, ?> consumer,
                                     MessageListenerContainer container, boolean batchListener) {
        log.error("listener container {} failed outside a listener", container.getListenerId(), thrownException);
    }

    /** Nothing of a failed batch is acknowledged: it is redelivered. */
    @Override
    public boolean isAckAfterHandle() {
        return false;
    }

    @Override
    public boolean seeksAfterHandling() {
        return true;
    }

    @Override
    public void clearThreadState() {
        failing.remove();
    }

    Duration backOff(int attempt) {
        long millis = initialInterval.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxInterval.toMillis()));
    }

    private record Failing(Map<TopicPartition, Long> firstOffsets, int attempt) {
    }
}
