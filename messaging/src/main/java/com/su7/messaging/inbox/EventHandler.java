package com.su7.messaging.inbox;

/**
 * Applies one event inside the transaction that also records it as processed. Throw
 * {@link PermanentEventException} for an event that can never be applied.
 */
@FunctionalInterface
public interface EventHandler<E> {

    void apply(E event);
}
