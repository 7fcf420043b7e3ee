package com.su7.messaging.deadletter;

import com.su7.messaging.tracing.TraceHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** A record a consumer set aside, as its service keeps it: where it came from, why, and what became of it. */
public record DeadLetter(long id, String consumer, String consumerGroup, String topic, int partition, long offset,
                         String key, Instant recordTimestamp, String traceparent, String correlationId, byte[] payload,
                         DeadLetterState state, String exceptionClass, String reason, int attempts,
                         Instant firstFailedAt, Instant lastFailedAt, int redrives, boolean published,
                         String resolution, Instant resolvedAt, Instant createdAt) {

    /** The record again, as the consumer first received it (its trace too), for a redrive through the same inbox. */
    public ConsumerRecord<String, byte[]> toRecord() {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add(TraceHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        if (correlationId != null) {
            headers.add(TraceHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        long timestamp = recordTimestamp == null ? ConsumerRecord.NO_TIMESTAMP : recordTimestamp.toEpochMilli();
        return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME,
                ConsumerRecord.NULL_SIZE, payload == null ? ConsumerRecord.NULL_SIZE : payload.length,
                key, payload, headers, Optional.empty());
    }
}
