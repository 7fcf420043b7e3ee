package com.su7.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security layer's refusals as RFC 9457 problem details in the dialect of every other error of the services
 * ({@link ProblemType}; they happen before any controller, so {@link ProblemDetailsAdvice} never sees them), with the
 * RFC 6750 {@code WWW-Authenticate: Bearer} challenge (its {@code error} code says why) that Spring Security's
 * bearer-token handlers set.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler insufficientScope = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) throws IOException {
        challenge.commence(request, response, failure);
        String detail = failure instanceof OAuth2AuthenticationException invalid
                ? "The access token was refused: %s".formatted(invalid.getError().getDescription() != null
                        ? invalid.getError().getDescription() : invalid.getError().getErrorCode())
                : "This API needs an access token from the authorization server (Authorization: Bearer <token>).";
        write(request, response, ProblemType.UNAUTHENTICATED, detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) throws IOException {
        insufficientScope.handle(request, response, denied);
        write(request, response, ProblemType.FORBIDDEN, "%s may not %s %s.".formatted(
                request.getUserPrincipal() == null ? "this client" : request.getUserPrincipal().getName(),
                request.getMethod(), request.getRequestURI()));
    }

    static void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.uri().toString());
        problem.put("title", type.title());
        problem.put("status", type.status().value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(type.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
