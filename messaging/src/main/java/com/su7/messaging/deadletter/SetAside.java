package com.su7.messaging.deadletter;

import com.su7.messaging.tracing.TraceHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;

/**
 * A record a consumer sets aside, before it is stored: refused ({@link DeadLetterState#OPEN}) for its failure, or
 * held ({@link DeadLetterState#WAITING}, no failure) behind an earlier dead letter of its key.
 */
public record SetAside(String consumer, String consumerGroup, ConsumerRecord<String, byte[]> record,
                       DeadLetterState state, Throwable failure, int attempts, Instant firstFailedAt, Instant lastFailedAt) {

    public static SetAside refused(String consumer, String consumerGroup, ConsumerRecord<String, byte[]> record,
                                   Throwable failure, int attempts, Instant firstFailedAt, Instant lastFailedAt) {
        return new SetAside(consumer, consumerGroup, record, DeadLetterState.OPEN, failure, attempts, firstFailedAt, lastFailedAt);
    }

    public static SetAside heldBehind(String consumer, String consumerGroup, ConsumerRecord<String, byte[]> record, Instant now) {
        return new SetAside(consumer, consumerGroup, record, DeadLetterState.WAITING, null, 0, now, now);
    }

    String exceptionClass() {
        return failure == null ? "held" : failure.getClass().getName();
    }

    String reason() {
        return failure == null
                ? "held behind an earlier dead letter of key %s: applied in order once that one is".formatted(record.key())
                : String.valueOf(failure.getMessage());
    }

    String traceparent() {
        return TraceHeaders.traceparentOf(record.headers());
    }

    String correlationId() {
        return TraceHeaders.correlationIdOf(record.headers());
    }
}
