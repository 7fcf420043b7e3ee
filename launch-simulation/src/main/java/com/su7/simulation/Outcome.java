package com.su7.simulation;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What one customer experienced: the date first promised (the latest date of the first estimate), the final
 * scheduled date, and how long the system took to show each.
 */
record Outcome(LocalDate firstPromise, LocalDate finalDate, Duration toFirstEta, Duration toScheduled) {

    /** Days the final date is earlier than the first promise (negative: later). */
    long daysEarlier() {
        return ChronoUnit.DAYS.between(finalDate, firstPromise);
    }

    static Optional<Outcome> of(JsonNode preorder, Instant requestedAt) {
        JsonNode history = preorder.path("etaHistory");
        if (!"DELIVERY_SCHEDULED".equals(preorder.path("status").asString()) || !history.isArray() || history.isEmpty()) {
            return Optional.empty();
        }
        JsonNode first = history.get(0);
        Optional<LocalDate> firstPromise = latestOf(first);
        Optional<LocalDate> finalDate = latestOf(preorder.path("eta"));
        if (firstPromise.isEmpty() || finalDate.isEmpty()) {
            return Optional.empty();
        }
        Instant firstAt = instant(first.path("at"));
        Instant scheduledAt = firstAt;
        for (JsonNode change : history) {
            if (change.path("cause").asString().startsWith("SCHEDULED")) {
                scheduledAt = instant(change.path("at"));
                break;
            }
        }
        return Optional.of(new Outcome(firstPromise.get(), finalDate.get(),
                nonNegative(Duration.between(requestedAt, firstAt)), nonNegative(Duration.between(requestedAt, scheduledAt))));
    }

    /** An exact date, or the latest date of a range: what a customer reads as "by then". */
    private static Optional<LocalDate> latestOf(JsonNode eta) {
        for (String field : new String[]{"date", "latest", "newDate", "newLatest"}) {
            JsonNode value = eta.path(field);
            if (value.isString() && !value.asString().isBlank()) {
                return Optional.of(LocalDate.parse(value.asString()));
            }
        }
        JsonNode nested = eta.path("eta");
        return nested.isObject() ? latestOf(nested) : Optional.empty();
    }

    private static Instant instant(JsonNode value) {
        return value.isString() ? Instant.parse(value.asString()) : Instant.EPOCH;
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
