package com.su7.orders.preorder;

import com.su7.contract.PreorderId;
import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.time.LocalDate;

/** A preorder that can no longer be cancelled: 409. */
class CancellationRefusedException extends ProblemException {

    static final ProblemType REFUND_WINDOW_CLOSED = new ProblemType("refund-window-closed", HttpStatus.CONFLICT,
            "The preorder's refund window has closed");
    static final ProblemType ALREADY_DELIVERED = new ProblemType("already-delivered", HttpStatus.CONFLICT,
            "The preorder's car has been handed over");

    private CancellationRefusedException(ProblemType type, String detail) {
        super(type, detail);
    }

    static CancellationRefusedException refundWindowClosed(PreorderId id, Instant refundableUntil) {
        CancellationRefusedException refused = new CancellationRefusedException(REFUND_WINDOW_CLOSED,
                "preorder %s could be cancelled until %s".formatted(id, refundableUntil));
        refused.with("preorderId", id.toString());
        refused.with("refundableUntil", refundableUntil.toString());
        return refused;
    }

    static CancellationRefusedException delivered(PreorderId id, LocalDate handedOverOn) {
        CancellationRefusedException refused = new CancellationRefusedException(ALREADY_DELIVERED,
                "preorder %s was handed over on %s".formatted(id, handedOverOn));
        refused.with("preorderId", id.toString());
        refused.with("handedOverOn", handedOverOn.toString());
        return refused;
    }
}
