package com.su7.production.line;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** A reported unit contradicts one already built: 409. */
final class UnitConflictException extends ErrorResponseException {

    UnitConflictException(String detail) {
        super(HttpStatus.CONFLICT, problem(detail), null);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setTitle("Unit already built");
        problem.setType(URI.create("urn:su7:problem:unit-conflict"));
        return problem;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
