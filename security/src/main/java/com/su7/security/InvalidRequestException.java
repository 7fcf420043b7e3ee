package com.su7.security;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request the service refuses for what it says: 400 {@link ProblemType#INVALID_REQUEST}, whose {@code errors}
 * name each bad field and what is wrong with it (in the order given), the same shape as a bean validation failure.
 */
public class InvalidRequestException extends ProblemException {

    private final List<FieldProblem> errors;

    public InvalidRequestException(List<FieldProblem> errors) {
        super(ProblemType.INVALID_REQUEST, errors.stream().map(FieldProblem::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
        with("errors", this.errors);
    }

    public List<FieldProblem> errors() {
        return errors;
    }
}
