package com.su7.production.shared;

import java.util.Objects;
import java.util.UUID;

/** The id orders-service gave a preorder; the key of every event about it. */
public record PreorderId(UUID value) {

    public PreorderId {
        Objects.requireNonNull(value, "a preorder id is required");
    }

    /** @throws IllegalArgumentException if the text is not a UUID */
    public static PreorderId parse(String text) {
        try {
            return new PreorderId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("preorder id %s is not a UUID".formatted(text), e);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
