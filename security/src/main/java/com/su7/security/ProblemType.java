package com.su7.security;

import org.springframework.http.HttpStatus;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A kind of error the services answer with, as RFC 9457 problem details: a stable {@code type} URI in one scheme
 * for every service ({@value #SCHEME}{@code <name>}, listed in the README), the status it always has and a title
 * the same for every occurrence (the occurrence is told in the detail). The shared ones are here; a service
 * declares its own beside the exception that uses them.
 *
 * @param name   lower-case words joined by hyphens, e.g. {@code unknown-preorder}
 * @param status the HTTP status of every problem of this type
 * @param title  a short summary of the type, e.g. "Unknown preorder"
 */
public record ProblemType(String name, HttpStatus status, String title) {

    public static final String SCHEME = "urn:su7:problem:";
    /** Before the types below: their constructor checks their names with it. */
    private static final Pattern NAME = Pattern.compile("[a-z]+(-[a-z]+)*");

    /** A request's fields, parameters, headers or body are wrong; {@code errors: [{field, message}]} names each one. */
    public static final ProblemType INVALID_REQUEST = new ProblemType("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request");
    public static final ProblemType UNAUTHENTICATED = new ProblemType("unauthenticated", HttpStatus.UNAUTHORIZED, "Unauthorized");
    public static final ProblemType FORBIDDEN = new ProblemType("forbidden", HttpStatus.FORBIDDEN, "Forbidden");
    public static final ProblemType REQUEST_TOO_LARGE = new ProblemType("request-too-large", HttpStatus.CONTENT_TOO_LARGE, "Content Too Large");
    public static final ProblemType TOO_MANY_REQUESTS = new ProblemType("too-many-requests", HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests");

    public ProblemType {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a problem type's name is lower-case words joined by hyphens, not '%s'".formatted(name));
        }
        if (status == null || title == null || title.isBlank()) {
            throw new IllegalArgumentException("problem type %s needs a status and a title".formatted(name));
        }
    }

    public URI uri() {
        return URI.create(SCHEME + name);
    }
}
