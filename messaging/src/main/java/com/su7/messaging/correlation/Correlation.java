package com.su7.messaging.correlation;

import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The correlation id of the request or app event that started a chain of events. It travels in the
 * {@value #HEADER} header of every event the chain produces (through the outbox and through batch listeners)
 * and is in the logs as {@code correlationId}.
 */
public final class Correlation {

    public static final String HEADER = "su7-correlation-id";
    public static final String MDC_KEY = "correlationId";

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

    public static String fromHeader(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
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
