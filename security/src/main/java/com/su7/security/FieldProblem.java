package com.su7.security;

/**
 * What is wrong with one field of a request (a JSON property by its path, e.g. {@code periods[0].to}, a query
 * parameter, a header or {@code body}): one element of an invalid request's {@code errors}.
 */
public record FieldProblem(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
