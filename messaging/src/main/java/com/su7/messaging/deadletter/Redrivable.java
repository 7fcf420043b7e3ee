package com.su7.messaging.deadletter;

import java.util.Optional;

/** A consumer that can apply a dead letter again, through the same inbox that refused it. */
public interface Redrivable {

    /**
     * Applies the record once more, in one transaction with the consumer's record of processed events: an event
     * already applied changes nothing. Throws when it fails, as the consumer's handler does.
     */
    Outcome reapply(DeadLetter deadLetter);

    /** The payload as people read it: decoded through the registry where it can be. */
    Optional<String> describe(DeadLetter deadLetter);

    enum Outcome {
        APPLIED, ALREADY_APPLIED
    }

    /** Finds the consumers by name: the inbox that holds them. */
    interface Consumers {

        Optional<Redrivable> consumer(String name);
    }
}
