package com.su7.production.line;

import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpStatus;

/** A reported unit contradicts one already built: 409. */
final class UnitConflictException extends ProblemException {

    static final ProblemType UNIT_CONFLICT = new ProblemType("unit-conflict", HttpStatus.CONFLICT, "Unit already built");

    UnitConflictException(String detail) {
        super(UNIT_CONFLICT, detail);
    }
}
