package com.su7.delivery.config;

import org.springframework.context.MessageSourceResolvable;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Errors as RFC 9457 problem details; a 400 names each bad field and says what was wrong with it
 * ({@code errors: [{field, message}]}).
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

    private static final URI INVALID_REQUEST = URI.create("urn:su7:delivery:invalid-request");

    record FieldProblem(String field, String message) {
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
                .sorted(java.util.Comparator.comparing(FieldProblem::field))
                .toList();
        return invalid(errors, ex, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldProblem(nameOf(result.getMethodParameter().getParameterName(), error), error.getDefaultMessage())))
                .toList();
        return invalid(errors, ex, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String field = null;
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
                field = databind.getPath().stream().map(JacksonException.Reference::getPropertyName)
                        .filter(java.util.Objects::nonNull).collect(Collectors.joining("."));
                break;
            }
        }
        List<FieldProblem> errors = field == null || field.isEmpty()
                ? List.of(new FieldProblem("body", "is not valid JSON for this request"))
                : List.of(new FieldProblem(field, "has the wrong type or format"));
        return invalid(errors, ex, headers, request);
    }

    private ResponseEntity<Object> invalid(List<FieldProblem> errors, Exception ex, HttpHeaders headers, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.stream()
                .map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; ")));
        problem.setTitle("Invalid request");
        problem.setType(INVALID_REQUEST);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String nameOf(String parameter, MessageSourceResolvable error) {
        return error instanceof FieldError fieldError ? fieldError.getField() : parameter;
    }
}
