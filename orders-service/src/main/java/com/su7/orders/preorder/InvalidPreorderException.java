package com.su7.orders.preorder;

import com.su7.security.FieldProblem;
import com.su7.security.InvalidRequestException;

import java.util.List;

/** A preorder request that breaks the rules, with every field that is wrong: 400 invalid-request for REST, a dead letter's reason for an app event. */
class InvalidPreorderException extends InvalidRequestException {

    InvalidPreorderException(List<FieldProblem> problems) {
        super(problems);
    }

    @Override
    public String getMessage() {
        return "invalid preorder request: " + super.getMessage();
    }
}
