package com.su7.production.queue;

import com.su7.contract.PreorderId;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** No PreorderPlaced for this id has reached production (yet): 404. */
public final class UnknownPreorderException extends ErrorResponseException {

    public UnknownPreorderException(PreorderId id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(PreorderId id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "preorder %s is not known to production".formatted(id));
        problem.setTitle("Unknown preorder");
        problem.setType(URI.create("urn:su7:problem:unknown-preorder"));
        problem.setProperty("preorderId", id.toString());
        return problem;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
