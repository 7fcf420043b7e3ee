package com.su7.production.shared;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request the service refuses for what it says: 400 with a problem detail whose {@code errors} name each
 * field and what was wrong with it (the same shape as a bean validation failure).
 */
public class InvalidRequestException extends ErrorResponseException {

    private final List<FieldViolation> violations;

    public InvalidRequestException(String title, List<FieldViolation> violations) {
        super(HttpStatus.BAD_REQUEST, problem(title, violations), null);
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    private static ProblemDetail problem(String title, List<FieldViolation> violations) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, violations.stream()
                .map(violation -> violation.field() + ": " + violation.message()).collect(Collectors.joining("; ")));
        problem.setTitle(title);
        problem.setType(URI.create("urn:su7:problem:invalid-request"));
        problem.setProperty("errors", violations);
        return problem;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
