package com.su7.delivery.outlook;

import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpStatus;

/** The service has seen no event of this preorder: 404. */
class UnknownPreorderException extends ProblemException {

    static final ProblemType UNKNOWN_PREORDER = new ProblemType("unknown-preorder", HttpStatus.NOT_FOUND, "Unknown preorder");

    UnknownPreorderException(String preorderId) {
        super(UNKNOWN_PREORDER, "delivery-service has seen no PreorderPlaced, UnitBuilt or PreorderCancelled for preorder %s".formatted(preorderId));
        with("preorderId", preorderId);
    }
}
