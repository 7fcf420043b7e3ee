package com.su7.messaging.inbox;

import com.su7.messaging.tracing.EventTrace;

/** An event handed to a {@link BatchEventHandler}, with its place in its trace (the span that applies it). */
public record Received<E>(E event, EventTrace trace) {

    /** Runs the work in this event's trace: what the outbox records then continues it. */
    public void inItsTrace(Runnable work) {
        trace.run(work);
    }
}
