package com.su7.messaging.tracing;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A trace as it travels between the services: the W3C {@value #TRACEPARENT} of the span that sent a record (on every
 * Kafka record, in every outbox row and dead letter), and a caller's own {@value #CORRELATION_ID}, when it gave one,
 * beside it. Offered values, from HTTP and Kafka alike, are taken only in their plain form: they end up in log lines,
 * rows and every downstream header.
 */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";
    public static final String CORRELATION_ID = "X-Correlation-Id";
    /** Where releases before tracing sent the correlation id: still read, so none is lost in a rolling upgrade. */
    private static final String EARLIER_CORRELATION_ID = "su7-correlation-id";

    private static final int MAX_CORRELATION_ID = 100;
    private static final Pattern PLAIN_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,%d}".formatted(MAX_CORRELATION_ID));
    /** Version 00 and any later one (which may only append fields, ignored here); an all-zero trace or span id is invalid. */
    private static final Pattern W3C_TRACEPARENT = Pattern.compile("[0-9a-e][0-9a-f]-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");
    private static final int TRACEPARENT_LENGTH = 55;

    private TraceHeaders() {
    }

    /** The offered correlation id if it is plain (letters, digits, {@code . _ : -}, at most 100), else none. */
    public static Optional<String> acceptedCorrelationId(String offered) {
        return offered != null && PLAIN_CORRELATION_ID.matcher(offered).matches() ? Optional.of(offered) : Optional.empty();
    }

    /** The offered traceparent if it is one (its first four fields, lower-case hex), else none. */
    public static Optional<String> acceptedTraceparent(String offered) {
        if (offered == null || offered.length() < TRACEPARENT_LENGTH) {
            return Optional.empty();
        }
        String fields = offered.substring(0, TRACEPARENT_LENGTH);
        boolean versionZeroIsExact = !fields.startsWith("00") || offered.length() == TRACEPARENT_LENGTH;
        return versionZeroIsExact && W3C_TRACEPARENT.matcher(fields).matches() ? Optional.of(fields) : Optional.empty();
    }

    /** The record's traceparent, or null (none, or not one). */
    public static String traceparentOf(Headers headers) {
        return acceptedTraceparent(text(headers, TRACEPARENT, 512)).orElse(null);
    }

    /** The record's correlation id (from an earlier release: in its own header), or null (none, or not a plain one). */
    public static String correlationIdOf(Headers headers) {
        String offered = text(headers, CORRELATION_ID, MAX_CORRELATION_ID);
        return acceptedCorrelationId(offered != null ? offered : text(headers, EARLIER_CORRELATION_ID, MAX_CORRELATION_ID)).orElse(null);
    }

    /** The trace id a traceparent names. */
    public static String traceIdOf(String traceparent) {
        return traceparent.substring(3, 35);
    }

    private static String text(Headers headers, String name, int maxLength) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null || header.value().length > maxLength) {
            return null;
        }
        return new String(header.value(), StandardCharsets.US_ASCII);
    }
}
