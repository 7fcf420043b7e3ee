package com.su7.messaging.tracing;

import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * Where an event (or a request) is in its trace: the span its work runs in and the caller's correlation id, if one
 * came with it. What the outbox records inside {@link #run} continues that trace.
 */
public final class EventTrace {

    /** No trace: tracing is off, or the event came without one. */
    public static final EventTrace NONE = new EventTrace(null, null, null, false);

    private final Traces traces;
    private final Span span;
    private final String correlationId;
    private final boolean owned;

    EventTrace(Traces traces, Span span, String correlationId, boolean owned) {
        this.traces = traces;
        this.span = span;
        this.correlationId = correlationId;
        this.owned = owned;
    }

    /** Runs the work in this trace: its span current, the correlation id in its baggage (and so in the logs). */
    public void run(Runnable work) {
        if (traces == null) {
            work.run();
            return;
        }
        Tracer tracer = traces.tracer();
        try (Tracer.SpanInScope inSpan = tracer.withSpan(span);
             BaggageInScope baggage = correlationId == null ? null : tracer.createBaggageInScope(TraceHeaders.CORRELATION_ID, correlationId)) {
            work.run();
        }
    }

    /** The W3C traceparent of this trace's span, or null: to store with what continues it later (a queued preorder). */
    public String traceparent() {
        return span == null ? null : traces.traceparentOf(span);
    }

    /** Ends the span if it was started for this event (not a request's, which its own filter ends). */
    public void end(Throwable failure) {
        if (owned && span != null) {
            if (failure != null) {
                span.error(failure);
            }
            span.end();
        }
    }
}
