package com.su7.messaging.deadletter;

import com.su7.contract.Topics;
import com.su7.messaging.tracing.TraceHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.KafkaHeaders;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Copies a stored dead letter to {@code <topic>.DLT} (same partition and key) for tools that watch topics. The copy
 * says who refused it, what, when and why in bounded headers; an original too large to travel again is left out
 * and the copy points at the stored row instead. A copy that cannot be sent (too large still, topic missing, not
 * authorized, broker away) is logged and counted, never retried and never in the partition's way: the stored row is
 * the dead letter.
 */
public final class DeadLetterTopicCopies {

    public static final String SERVICE = "su7_dlt-service";
    public static final String CONSUMER = "su7_dlt-consumer";
    public static final String ID = "su7_dlt-id";
    public static final String ATTEMPTS = "su7_dlt-attempts";
    public static final String FIRST_FAILURE = "su7_dlt-first-failure";
    public static final String LAST_FAILURE = "su7_dlt-last-failure";
    public static final String STATE = "su7_dlt-state";
    /** {@code inline} when the value is the original, {@code stored} when it is left out (see the service's API). */
    public static final String PAYLOAD = "su7_dlt-payload";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterTopicCopies.class);
    private static final int HEADROOM = 64 * 1024;

    private final KafkaOperations<String, byte[]> rawBytes;
    private final String service;
    private final int maxRequestSize;
    private final int maxHeaderText;
    private final MeterRegistry meters;

    public DeadLetterTopicCopies(KafkaOperations<String, byte[]> rawBytes, String service, int maxRequestSize,
                                 int maxHeaderText, MeterRegistry meters) {
        this.rawBytes = rawBytes;
        this.service = service;
        this.maxRequestSize = maxRequestSize;
        this.maxHeaderText = maxHeaderText;
        this.meters = meters;
    }

    /** Sends the copy and waits for it; returns whether it was written. */
    public boolean copy(DeadLetter letter, Throwable failure) {
        boolean fits = letter.payload() == null || letter.payload().length + HEADROOM <= maxRequestSize;
        try {
            send(letter, failure, fits);
            return true;
        } catch (RecordTooLargeException tooLarge) {
            if (!fits) {
                return failed(letter, tooLarge);
            }
            try {
                send(letter, failure, false);
                return true;
            } catch (RuntimeException again) {
                return failed(letter, again);
            }
        } catch (RuntimeException e) {
            return failed(letter, e);
        }
    }

    private void send(DeadLetter letter, Throwable failure, boolean withValue) {
        RecordHeaders headers = new RecordHeaders();
        text(headers, KafkaHeaders.DLT_ORIGINAL_TOPIC, letter.topic());
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(letter.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(letter.offset()).array());
        if (letter.recordTimestamp() != null) {
            headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP,
                    ByteBuffer.allocate(8).putLong(letter.recordTimestamp().toEpochMilli()).array());
        }
        text(headers, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, letter.consumerGroup());
        text(headers, KafkaHeaders.DLT_EXCEPTION_FQCN, letter.exceptionClass());
        text(headers, KafkaHeaders.DLT_EXCEPTION_MESSAGE, letter.reason());
        if (failure != null) {
            text(headers, KafkaHeaders.DLT_EXCEPTION_STACKTRACE, stackTrace(failure));
        }
        text(headers, SERVICE, service);
        text(headers, CONSUMER, letter.consumer());
        text(headers, ID, Long.toString(letter.id()));
        text(headers, STATE, letter.state().name());
        text(headers, ATTEMPTS, Integer.toString(letter.attempts()));
        text(headers, FIRST_FAILURE, letter.firstFailedAt().toString());
        text(headers, LAST_FAILURE, letter.lastFailedAt().toString());
        text(headers, PAYLOAD, withValue ? "inline" : "stored");
        if (letter.traceparent() != null) {
            text(headers, TraceHeaders.TRACEPARENT, letter.traceparent());
        }
        if (letter.correlationId() != null) {
            text(headers, TraceHeaders.CORRELATION_ID, letter.correlationId());
        }
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(Topics.deadLetterOf(letter.topic()), letter.partition(),
                letter.key(), withValue ? letter.payload() : null, headers);
        try {
            rawBytes.send(copy).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a dead-letter copy", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer from the broker in 30 s", e);
        }
    }

    private boolean failed(DeadLetter letter, RuntimeException failure) {
        log.warn("dead letter {} ({} {}-{}@{}) is stored but its copy to {} could not be sent: {}", letter.id(),
                letter.consumer(), letter.topic(), letter.partition(), letter.offset(),
                Topics.deadLetterOf(letter.topic()), failure.toString());
        meters.counter("su7.messaging.dead-letter-copies.failed", "topic", letter.topic(), "consumer", letter.consumer()).increment();
        return false;
    }

    private void text(RecordHeaders headers, String name, String value) {
        if (value != null) {
            String bounded = value.length() > maxHeaderText ? value.substring(0, maxHeaderText) + "…(truncated)" : value;
            headers.add(name, bounded.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
