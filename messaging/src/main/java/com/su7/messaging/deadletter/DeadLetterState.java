package com.su7.messaging.deadletter;

/** Where a dead letter stands. Every state but {@link #RESOLVED} holds its key: later events of it wait behind. */
public enum DeadLetterState {
    /** The event is at fault (it cannot be decoded or breaks a rule): waiting for ops to fix the cause and redrive. */
    OPEN,
    /** Nothing wrong with it, as far as anyone knows: held behind an earlier dead letter of the same key. */
    WAITING,
    /** Failed again after the allowed redrives: reported, never redriven again. */
    PARKED,
    /** Applied (or found already applied) by a redrive. */
    RESOLVED
}
