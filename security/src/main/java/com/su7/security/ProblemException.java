package com.su7.security;

import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error a service answers with, in the shared dialect: its {@link ProblemType} (type, status, title) and a
 * detail that says what went wrong this time. Throw it, or a subclass named for the service's case, from a
 * controller: the shared {@link ProblemDetailsAdvice} writes it, so no service writes its own advice.
 */
public class ProblemException extends ErrorResponseException {

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ProblemException(ProblemType type, String detail, Throwable cause) {
        super(type.status(), problem(type, detail), cause);
    }

    private static ProblemDetail problem(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        return problem;
    }

    /** Adds a property the client can act on (e.g. the preorder id it asked for) to the problem. */
    public final ProblemException with(String property, Object value) {
        getBody().setProperty(property, value);
        return this;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
