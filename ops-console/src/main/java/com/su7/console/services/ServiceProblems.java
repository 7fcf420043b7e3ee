package com.su7.console.services;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientResponseException;

/**
 * A service's answer reaches the page as the service gave it: its status and its problem details (a 400 names the
 * field, a 409 says why). A service that does not answer is a 502 naming it. A token the services no longer take
 * (the authorization server restarted with a new key) or that cannot be renewed ends the console session: the page
 * gets a 401 and sends the user to log in again.
 */
@RestControllerAdvice
class ServiceProblems {

    private static final Logger log = LoggerFactory.getLogger(ServiceProblems.class);

    @ExceptionHandler(RestClientResponseException.class)
    ResponseEntity<String> relayed(RestClientResponseException e, HttpServletRequest request) {
        if (e.getStatusCode().value() == HttpStatus.UNAUTHORIZED.value()) {
            return loggedOut(request);
        }
        MediaType type = e.getResponseHeaders() == null ? null : e.getResponseHeaders().getContentType();
        return ResponseEntity.status(e.getStatusCode())
                .contentType(type == null ? MediaType.TEXT_PLAIN : type)
                .body(e.getResponseBodyAsString());
    }

    @ExceptionHandler(ServiceUnavailableException.class)
    ProblemDetail unavailable(ServiceUnavailableException e) {
        log.warn("{}: {}", e.getMessage(), e.getCause().getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, e.getMessage());
        problem.setTitle("Service unavailable");
        return problem;
    }

    @ExceptionHandler(OAuth2AuthorizationException.class)
    ResponseEntity<String> tokenNotRenewed(OAuth2AuthorizationException e, HttpServletRequest request) {
        log.info("the user's access token could not be renewed ({}): the session ends", e.getError());
        return loggedOut(request);
    }

    private final OAuth2AuthorizedClientService clients;

    ServiceProblems(OAuth2AuthorizedClientService clients) {
        this.clients = clients;
    }

    private ResponseEntity<String> loggedOut(HttpServletRequest request) {
        if (request.getUserPrincipal() != null) {
            clients.removeAuthorizedClient(ServiceApis.REGISTRATION, request.getUserPrincipal().getName());
        }
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body("{\"title\":\"Log in again\",\"status\":401,\"detail\":\"The services no longer accept this session's token\"}");
    }
}
