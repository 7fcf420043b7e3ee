package com.su7.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every error of every service's API as RFC 9457 problem details, in one dialect:
 * <ul>
 *   <li>a {@link ProblemException} (a service's own errors) as it describes itself: its {@link ProblemType}'s
 *       {@code urn:su7:problem:} type, status and title, its detail and properties;</li>
 *   <li>whatever makes a request invalid (bean validation of a body or a parameter, unreadable or mistyped JSON, a
 *       parameter or header of the wrong type or missing) as {@link ProblemType#INVALID_REQUEST} with
 *       {@code errors: [{field, message}]}, the fields in order;</li>
 *   <li>any other error Spring MVC knows (an unknown path, a method or media type not supported) as Spring writes
 *       it: {@code about:blank} with its status, which says all there is to say;</li>
 *   <li>anything else (a bug, a database away) as 500 {@code about:blank}, logged here with its stack trace and not
 *       told to the client.</li>
 * </ul>
 * The security layer's refusals (401, 403, 413, 429) come before any controller; {@link ProblemResponses} writes them
 * in the same dialect.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private static final Comparator<FieldProblem> IN_ORDER = Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Stream<FieldProblem> fields = exception.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldProblem(error.getField(), String.valueOf(error.getDefaultMessage())));
        Stream<FieldProblem> objects = exception.getBindingResult().getGlobalErrors().stream()
                .map(error -> new FieldProblem(error.getObjectName(), String.valueOf(error.getDefaultMessage())));
        return invalid(exception, Stream.concat(fields, objects).sorted(IN_ORDER).toList(), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldProblem> errors = exception.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> new FieldProblem(
                        nameOf(result.getMethodParameter().getParameterName(), error), String.valueOf(error.getDefaultMessage()))))
                .sorted(IN_ORDER).toList();
        return invalid(exception, errors, headers, request);
    }

    /** Unreadable JSON, or a value of the wrong type: the field named when Jackson knows it. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        FieldProblem error = new FieldProblem("body", "is not readable JSON of the expected shape");
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                String field = jackson.getPath().stream()
                        .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName() : "[" + reference.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
                error = new FieldProblem(field, "has a value of the wrong type or format");
                break;
            }
        }
        return invalid(exception, List.of(error), headers, request);
    }

    /** A path variable, query parameter or header that is not of its type (e.g. not a number, not a UUID). */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException exception, HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        String field = exception instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
                : String.valueOf(exception.getPropertyName());
        return invalid(exception, List.of(new FieldProblem(field, "has a value of the wrong type or format")), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException exception,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        return invalid(exception, List.of(new FieldProblem(exception.getParameterName(), "is required")), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException exception, HttpHeaders headers,
                                                                          HttpStatusCode status, WebRequest request) {
        if (exception instanceof MissingRequestHeaderException missing) {
            return invalid(exception, List.of(new FieldProblem(missing.getHeaderName(), "is required")), headers, request);
        }
        return super.handleServletRequestBindingException(exception, headers, status, request);
    }

    /**
     * What no other handler takes. A Spring Security refusal and an exception that declares its own status
     * ({@code @ResponseStatus}) go on to the handlers made for them.
     */
    @ExceptionHandler
    ResponseEntity<Object> unexpected(Exception exception, WebRequest request) throws Exception {
        if (exception instanceof AccessDeniedException || exception instanceof AuthenticationException
                || AnnotatedElementUtils.hasAnnotation(exception.getClass(), ResponseStatus.class)) {
            throw exception;
        }
        log.error("{} failed", request.getDescription(false), exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The service failed to answer; the failure is in its log.");
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    private ResponseEntity<Object> invalid(Exception exception, List<FieldProblem> errors, HttpHeaders headers, WebRequest request) {
        return handleExceptionInternal(exception, new InvalidRequestException(new ArrayList<>(errors)).getBody(), headers,
                HttpStatus.BAD_REQUEST, request);
    }

    private static String nameOf(String parameter, MessageSourceResolvable error) {
        if (error instanceof FieldError field) {
            return field.getField();
        }
        return parameter == null ? "parameter" : parameter;
    }
}
