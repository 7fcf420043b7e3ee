package com.su7.console.services;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

public class UnknownServiceException extends ResponseStatusException {

    UnknownServiceException(String id) {
        super(HttpStatus.NOT_FOUND, "no service is called '%s': orders, production or delivery".formatted(id));
    }
}
