package com.su7.contract;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The id orders-service gives a preorder: the key of every event about it (its UUID string) and of every
 * service's row for it.
 */
public record PreorderId(UUID value) {

    public PreorderId {
        Objects.requireNonNull(value, "a preorder id needs a value");
    }

    /** A new id, for a preorder placed now: time-ordered ({@link TimeOrderedIds}). */
    public static PreorderId next() {
        return new PreorderId(TimeOrderedIds.next());
    }

    /** @throws IllegalArgumentException saying which text is not a preorder id (not a UUID, or none) */
    public static PreorderId parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("preorder id %s is not a UUID".formatted(text)));
    }

    /** Empty when the text is not a UUID: for a look-up, where no preorder can have such an id. */
    public static Optional<PreorderId> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PreorderId(UUID.fromString(text)));
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
