package com.su7.messaging.inbox;

import com.su7.messaging.correlation.Correlation;

/** An event handed to a {@link BatchEventHandler}, with the correlation id of the record that carried it. */
public record Received<E>(E event, String correlationId) {

    /** Runs the work with this event's correlation id current: what the outbox records then carries it on. */
    public void inItsCorrelation(Runnable work) {
        Correlation.with(correlationId, work);
    }
}
