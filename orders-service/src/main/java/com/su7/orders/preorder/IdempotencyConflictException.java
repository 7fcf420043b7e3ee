package com.su7.orders.preorder;

import com.su7.contract.PreorderId;

/** An idempotency key (or app request id) that was already used for a different request. */
class IdempotencyConflictException extends RuntimeException {

    IdempotencyConflictException(String key, PreorderId placed) {
        super("idempotency key %s was already used for a different preorder request (preorder %s); send a new key for a new request"
                .formatted(key, placed));
    }
}
