package com.su7.orders.preorder;

import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** More REST placements wait than the service takes at once: 503, and the caller sends the same request again shortly. */
class PlacementsBusyException extends ProblemException {

    static final ProblemType PLACEMENTS_BUSY = new ProblemType("placements-busy", HttpStatus.SERVICE_UNAVAILABLE,
            "Too many preorders waiting to be placed");

    PlacementsBusyException(int capacity) {
        super(PLACEMENTS_BUSY, "%d preorders are waiting to be placed already; send the same request (same Idempotency-Key) again in a moment"
                .formatted(capacity));
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }
}
