package com.su7.production.shared;

/** One reason a request was refused, naming the field as the client sent it (e.g. {@code periods[1].from}). */
public record FieldViolation(String field, String message) {
}
