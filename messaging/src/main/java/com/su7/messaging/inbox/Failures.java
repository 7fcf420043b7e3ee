package com.su7.messaging.inbox;

import com.microsoft.kiota.ApiException;

/**
 * Judges a failure by its cause. Only the event itself can earn a dead letter: it says so by a
 * {@link PermanentEventException} (bytes that cannot be decoded, a wrong type, a rule it breaks). Anything else — a
 * database that is away or read-only, a disk that is full, a registry that answers 500, a bug in a handler — is
 * not the event's fault, and the event waits (redelivered after a back-off) until the cause is gone.
 */
public final class Failures {

    private Failures() {
    }

    public static boolean isEventsFault(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PermanentEventException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * While decoding, the one outside party is the registry: a failure to reach it, or an answer other than
     * "no such schema", says nothing about the bytes. Everything else decoding throws is about the bytes.
     */
    static boolean isRegistryUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException api) {
                return api.getResponseStatusCode() != 404;
            }
            if (cause instanceof java.net.ConnectException
                    || cause instanceof java.net.SocketException
                    || cause instanceof java.net.SocketTimeoutException
                    || cause instanceof java.net.UnknownHostException
                    || cause instanceof java.net.http.HttpTimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
