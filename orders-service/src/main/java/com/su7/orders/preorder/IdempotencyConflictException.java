package com.su7.orders.preorder;

import com.su7.contract.PreorderId;
import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpStatus;

/** An idempotency key (or app request id) that was already used for a different request: 409. */
class IdempotencyConflictException extends ProblemException {

    static final ProblemType IDEMPOTENCY_CONFLICT = new ProblemType("idempotency-conflict", HttpStatus.CONFLICT,
            "Idempotency key already used for a different request");

    IdempotencyConflictException(String key, PreorderId placed) {
        super(IDEMPOTENCY_CONFLICT, "idempotency key %s was already used for a different preorder request (preorder %s); send a new key for a new request"
                .formatted(key, placed));
    }
}
