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

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
