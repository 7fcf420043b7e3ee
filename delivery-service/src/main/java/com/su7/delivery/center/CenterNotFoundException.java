package com.su7.delivery.center;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** No delivery centre serves the city: 404 as problem details. */
class CenterNotFoundException extends ErrorResponseException {

    CenterNotFoundException(String city) {
        super(HttpStatus.NOT_FOUND, problem(city), null);
    }

    private static ProblemDetail problem(String city) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "no delivery centre serves the city '%s'".formatted(city));
        problem.setTitle("Unknown delivery centre");
        problem.setType(URI.create("urn:su7:delivery:unknown-center"));
        problem.setProperty("city", city);
        return problem;
    }
}
