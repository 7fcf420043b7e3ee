package com.su7.messaging.correlation;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The correlation id of the request or app event that started a chain of events. It travels in the
 * {@value #HEADER} header of every event the chain produces (through the outbox and through batch listeners)
 * and is in the logs as {@code correlationId}. An offered id, from an HTTP or a Kafka header alike, is taken only
 * when it is short and plain ({@link #accepted}): it ends up in log lines, outbox rows and every downstream header.
 */
public final class Correlation {

    public static final String HEADER = "su7-correlation-id";
    public static final String MDC_KEY = "correlationId";

    private static final int MAX_LENGTH = 100;
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,%d}".formatted(MAX_LENGTH));
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Correlation() {
    }

    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Runs the work with the given correlation id (a new one if none), restoring the previous one after. */
    public static <T> T with(String correlationId, Supplier<T> work) {
        String previous = CURRENT.get();
        String id = correlationId == null || correlationId.isBlank() ? newId() : correlationId;
        set(id);
        try {
            return work.get();
        } finally {
            set(previous);
        }
    }

    public static void with(String correlationId, Runnable work) {
        with(correlationId, () -> {
            work.run();
            return null;
        });
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The offered id if it is sane (letters, digits, {@code . _ : -}, at most 100), else none: the caller makes a new one. */
    public static Optional<String> accepted(String offered) {
        return offered != null && SANE.matcher(offered).matches() ? Optional.of(offered) : Optional.empty();
    }

    /** The sane correlation id a record carries, or null (none, or one not taken: a new one is made for its chain). */
    public static String of(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null || header.value().length > MAX_LENGTH) {
            return null;
        }
        return accepted(new String(header.value(), StandardCharsets.US_ASCII)).orElse(null);
    }

    private static void set(String id) {
        if (id == null) {
            CURRENT.remove();
            MDC.remove(MDC_KEY);
        } else {
            CURRENT.set(id);
            MDC.put(MDC_KEY, id);
        }
    }
}
