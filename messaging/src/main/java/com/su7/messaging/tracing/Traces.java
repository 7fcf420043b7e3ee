package com.su7.messaging.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The spans of an event's way between the services, with Micrometer Tracing (OpenTelemetry underneath):
 * <ul>
 *   <li>{@code outbox <topic>} (the writing service): from the row's write to Kafka's acknowledgement, a child of the
 *       span that recorded the event (a request, or an event being applied), whose context the row keeps;</li>
 *   <li>{@code topic <topic>} (each consuming service): from the record's timestamp to the poll that brought it;</li>
 *   <li>{@code apply <consumer>}: applying it; what the outbox records meanwhile continues from here.</li>
 * </ul>
 * Timestamps are the ones the wait really began with, so a trace shows where a preorder waited. Sampling is the
 * tracer's: an unsampled trace travels all the same (its id is in every log line), only its spans are not kept.
 */
public final class Traces {

    private static final Propagator.Getter<Map<String, String>> FROM_MAP = Map::get;

    private final Tracer tracer;
    private final Propagator propagator;

    public Traces(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The current request's or event's place in its trace, to be carried to the thread that records its events. */
    public EventTrace current() {
        Span span = tracer.currentSpan();
        String correlationId = currentCorrelationId();
        return span == null && correlationId == null ? EventTrace.NONE : new EventTrace(this, span, correlationId, false);
    }

    /** The traceparent of the current span, or null (none, or tracing is off). */
    public String currentTraceparent() {
        Span span = tracer.currentSpan();
        return span == null ? null : traceparentOf(span);
    }

    /**
     * The caller's correlation id in the current baggage, or null. Read from all the baggage: the OpenTelemetry bridge's
     * {@code getBaggage(name)} creates a missing entry and stores it in the current span's context as a side effect.
     */
    public String currentCorrelationId() {
        return tracer.getAllBaggage().get(TraceHeaders.CORRELATION_ID);
    }

    /**
     * The spans of a record a consumer is about to apply: its wait in the topic (ended at {@code polledAt}) and its
     * application, to be ended by the caller. A record without a trace (the app's backend sent none) starts one.
     */
    public EventTrace consumed(ConsumerRecord<String, byte[]> record, String consumer, Instant polledAt) {
        long polled = polledAt.toEpochMilli();
        long sent = record.timestamp() < 0 ? polled : Math.min(record.timestamp(), polled);
        Span.Builder waiting = propagator.extract(record.headers(), Traces::offered).name("topic " + record.topic())
                .kind(Span.Kind.CONSUMER).remoteServiceName("kafka")
                .tag("messaging.destination.name", record.topic()).tag("messaging.consumer.group.name", consumer)
                .startTimestamp(sent, TimeUnit.MILLISECONDS);
        if (record.key() != null) {
            waiting.tag("messaging.kafka.message.key", record.key());
        }
        Span topic = waiting.start();
        topic.end(polled, TimeUnit.MILLISECONDS);
        Span applying = tracer.spanBuilder().setParent(topic.context()).name("apply " + consumer)
                .startTimestamp(polled, TimeUnit.MILLISECONDS).start();
        return new EventTrace(this, applying, TraceHeaders.correlationIdOf(record.headers()), true);
    }

    /**
     * The span of an outbox row from its write ({@code writtenAt}) until Kafka has it, continuing the trace the row
     * keeps; null for a row without one (written with tracing off, or by an earlier release).
     */
    public Span outbox(String topic, String key, String traceparent, Instant writtenAt) {
        if (traceparent == null) {
            return null;
        }
        return propagator.extract(Map.of(TraceHeaders.TRACEPARENT, traceparent), FROM_MAP).name("outbox " + topic)
                .kind(Span.Kind.PRODUCER).remoteServiceName("kafka")
                .tag("messaging.destination.name", topic).tag("messaging.kafka.message.key", key)
                .startTimestamp(ChronoUnit.MICROS.between(Instant.EPOCH, writtenAt), TimeUnit.MICROSECONDS).start();
    }

    /** Puts the span's trace context on the record (W3C traceparent), so its consumers continue the trace. */
    public void inject(Span span, ProducerRecord<?, ?> record) {
        propagator.inject(span.context(), record.headers(), (headers, name, value) -> {
            if (TraceHeaders.TRACEPARENT.equals(name)) {
                headers.remove(name);
                headers.add(name, value.getBytes(StandardCharsets.US_ASCII));
            }
        });
    }

    /**
     * Runs the work in a span {@code name} from {@code since} until it is done, continuing a stored trace (a queued
     * preorder's, when its unit is built); without one, just runs it.
     */
    public void inSpanOf(String traceparent, String name, Instant since, Map<String, String> tags, Runnable work) {
        if (traceparent == null) {
            work.run();
            return;
        }
        Span.Builder builder = propagator.extract(Map.of(TraceHeaders.TRACEPARENT, traceparent), FROM_MAP).name(name)
                .startTimestamp(ChronoUnit.MICROS.between(Instant.EPOCH, since), TimeUnit.MICROSECONDS);
        tags.forEach(builder::tag);
        EventTrace trace = new EventTrace(this, builder.start(), null, true);
        Throwable failure = null;
        try {
            trace.run(work);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            trace.end(failure);
        }
    }

    /** Of an unsampled span too (its trace goes on unsampled); null without tracing. */
    String traceparentOf(Span span) {
        Map<String, String> fields = new HashMap<>(4);
        propagator.inject(span.context(), fields, Map::put);
        return fields.get(TraceHeaders.TRACEPARENT);
    }

    Tracer tracer() {
        return tracer;
    }

    /** A record's trace fields as this service takes them: a plain traceparent; the correlation id and baggage apart. */
    private static String offered(Headers headers, String name) {
        if (TraceHeaders.TRACEPARENT.equals(name)) {
            return TraceHeaders.traceparentOf(headers);
        }
        if (TraceHeaders.CORRELATION_ID.equalsIgnoreCase(name) || "baggage".equals(name)) {
            return null;
        }
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null || header.value().length > 512 ? null
                : new String(header.value(), StandardCharsets.US_ASCII);
    }
}
