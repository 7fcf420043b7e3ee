package com.su7.orders.preorder;

import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpStatus;

/** No preorder has this id: 404. */
class PreorderNotFoundException extends ProblemException {

    static final ProblemType UNKNOWN_PREORDER = new ProblemType("unknown-preorder", HttpStatus.NOT_FOUND, "Unknown preorder");

    PreorderNotFoundException(String id) {
        super(UNKNOWN_PREORDER, "no preorder %s".formatted(id));
        with("preorderId", id);
    }
}
