package com.su7.delivery.outlook;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** The service has seen no event of this preorder: 404 as problem details. */
class UnknownPreorderException extends ErrorResponseException {

    UnknownPreorderException(String preorderId) {
        super(HttpStatus.NOT_FOUND, problem(preorderId), null);
    }

    private static ProblemDetail problem(String preorderId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "delivery-service has seen no PreorderPlaced or UnitBuilt for preorder %s".formatted(preorderId));
        problem.setTitle("Unknown preorder");
        problem.setType(URI.create("urn:su7:delivery:unknown-preorder"));
        problem.setProperty("preorderId", preorderId);
        return problem;
    }
}
