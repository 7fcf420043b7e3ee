package com.su7.production.config;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * RFC 9457 problem details for every error; a validation failure lists each bad field with its reason in
 * {@code errors: [{field, message}]}, the same shape as the services' own 400s.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = exception.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        List<Map<String, String>> global = exception.getBindingResult().getGlobalErrors().stream()
                .map(error -> Map.of("field", error.getObjectName(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        List<Map<String, String>> all = new java.util.ArrayList<>(errors);
        all.addAll(global);
        return handleExceptionInternal(exception, invalid(all), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<Map<String, String>> errors = exception.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> Map.of(
                        "field", result.getMethodParameter().getParameterName() == null ? "parameter"
                                : result.getMethodParameter().getParameterName(),
                        "message", String.valueOf(error instanceof FieldError field ? field.getDefaultMessage() : error.getDefaultMessage()))))
                .toList();
        return handleExceptionInternal(exception, invalid(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the request body is not readable JSON of the expected shape: " + rootMessage(exception));
        problem.setTitle("Unreadable request");
        problem.setType(URI.create("urn:su7:problem:unreadable-request"));
        return handleExceptionInternal(exception, problem, headers, status, request);
    }

    private static ProblemDetail invalid(List<Map<String, String>> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.stream()
                .map(error -> error.get("field") + ": " + error.get("message")).collect(Collectors.joining("; ")));
        problem.setTitle("Invalid request");
        problem.setType(URI.create("urn:su7:problem:invalid-request"));
        problem.setProperty("errors", errors);
        return problem;
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Jackson appends the source location over several lines; the first line says what was wrong.
        return message.lines().findFirst().orElse(message);
    }
}
