package com.su7.messaging.inbox;

/**
 * The event itself cannot be processed, now or ever (invalid content, a rule it breaks): it goes to the
 * dead-letter topic with this message as the reason, and the partition moves on.
 */
public class PermanentEventException extends RuntimeException {

    public PermanentEventException(String message) {
        super(message);
    }

    public PermanentEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
