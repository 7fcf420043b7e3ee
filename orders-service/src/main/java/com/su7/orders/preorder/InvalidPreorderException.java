package com.su7.orders.preorder;

import java.util.List;
import java.util.stream.Collectors;

/** A preorder request that breaks the rules, with every field that is wrong. */
class InvalidPreorderException extends RuntimeException {

    private final List<FieldProblem> problems;

    InvalidPreorderException(List<FieldProblem> problems) {
        super("invalid preorder request: " + problems.stream().map(FieldProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    List<FieldProblem> problems() {
        return problems;
    }
}
