package com.su7.orders.preorder;

import java.util.UUID;

public record PreorderId(UUID value) {

    public PreorderId {
        if (value == null) {
            throw new IllegalArgumentException("a preorder id needs a value");
        }
    }

    static PreorderId random() {
        return new PreorderId(UUID.randomUUID());
    }

    /** Empty when the text is not a UUID: no preorder can have that id. */
    static java.util.Optional<PreorderId> parse(String text) {
        try {
            return java.util.Optional.of(new PreorderId(UUID.fromString(text)));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
