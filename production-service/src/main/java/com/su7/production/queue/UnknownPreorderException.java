package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpStatus;

/** No PreorderPlaced for this id has reached production (yet): 404. */
public final class UnknownPreorderException extends ProblemException {

    static final ProblemType UNKNOWN_PREORDER = new ProblemType("unknown-preorder", HttpStatus.NOT_FOUND, "Unknown preorder");

    public UnknownPreorderException(PreorderId id) {
        super(UNKNOWN_PREORDER, "preorder %s is not known to production".formatted(id));
        with("preorderId", id.toString());
    }
}
