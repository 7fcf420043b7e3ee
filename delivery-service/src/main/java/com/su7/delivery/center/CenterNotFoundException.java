package com.su7.delivery.center;

import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpStatus;

/** No delivery centre serves the city: 404. */
class CenterNotFoundException extends ProblemException {

    static final ProblemType UNKNOWN_CENTER = new ProblemType("unknown-center", HttpStatus.NOT_FOUND, "Unknown delivery centre");

    CenterNotFoundException(String city) {
        super(UNKNOWN_CENTER, "no delivery centre serves the city '%s'".formatted(city));
        with("city", city);
    }
}
