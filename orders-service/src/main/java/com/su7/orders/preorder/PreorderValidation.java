package com.su7.orders.preorder;

import com.su7.security.FieldProblem;
import jakarta.validation.Validator;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The one set of rules for a preorder request, whichever way it came in. */
@Component
class PreorderValidation {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 200;

    private final Validator validator;

    PreorderValidation(Validator validator) {
        this.validator = validator;
    }

    List<FieldProblem> problemsOf(PreorderRequest request, String idempotencyKey, String keyName) {
        List<FieldProblem> problems = new ArrayList<>();
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            problems.add(new FieldProblem(keyName, "is required: a unique key per preorder, the same when the request is retried"));
        } else if (idempotencyKey.length() > MAX_KEY_LENGTH) {
            problems.add(new FieldProblem(keyName, "must be at most %d characters".formatted(MAX_KEY_LENGTH)));
        }
        if (request == null) {
            problems.add(new FieldProblem("body", "is required"));
        } else {
            validator.validate(request).forEach(violation ->
                    problems.add(new FieldProblem(violation.getPropertyPath().toString(), violation.getMessage())));
        }
        problems.sort(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message));
        return problems;
    }
}
