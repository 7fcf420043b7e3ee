package com.su7.console.services;

import org.springframework.web.client.ResourceAccessException;

/**
 * A service did not answer (refused, timed out, gone): named by what ops call it, with the cause's own words, but
 * not its address, which the page has no use for.
 */
public class ServiceUnavailableException extends RuntimeException {

    ServiceUnavailableException(Service service, ResourceAccessException cause) {
        super("%s did not answer (%s)".formatted(service.label(), rootMessage(cause)), cause);
    }

    /** The first cause below the client's (whose message holds the address) that says something, else its type. */
    private static String rootMessage(ResourceAccessException failure) {
        Throwable direct = failure.getCause();
        for (Throwable cause = direct; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return direct == null ? failure.getClass().getSimpleName() : direct.getClass().getSimpleName();
    }
}
