package com.su7.messaging.inbox;

import com.su7.contract.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import java.time.Duration;

/**
 * Sends a record that cannot be processed, with its original bytes, to {@code <topic>.DLT} on the same partition.
 * The headers say where it came from (original topic, partition, offset, timestamp) and why (exception class,
 * message, stack trace). The send is awaited: a record is only ever skipped once its dead letter is safe.
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublishingRecoverer recoverer;
    private final MeterRegistry meters;

    public DeadLetters(KafkaOperations<String, byte[]> rawBytesTemplate, MeterRegistry meters) {
        this.meters = meters;
        this.recoverer = new DeadLetterPublishingRecoverer(rawBytesTemplate,
                (record, failure) -> new TopicPartition(Topics.deadLetterOf(record.topic()), record.partition()));
        this.recoverer.setFailIfSendResultIsError(true);
        this.recoverer.setWaitForSendResultTimeout(Duration.ofSeconds(30));
    }

    public void send(ConsumerRecord<String, byte[]> record, Exception reason, String consumer) {
        log.warn("dead-lettering {}-{}@{} (key {}) for {}: {}", record.topic(), record.partition(), record.offset(),
                record.key(), consumer, reason.getMessage());
        recoverer.accept(record, null, reason);
        meters.counter("su7.messaging.dead-lettered", "topic", record.topic(), "consumer", consumer).increment();
    }
}
