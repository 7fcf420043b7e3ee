package com.su7.simulation;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What one customer experienced, as orders-service shows the preorder: its id, when it was placed (its first
 * ETA, the same transaction as its PreorderPlaced), the date first promised (the latest date of that estimate) and,
 * once scheduled, the final date and when it was scheduled.
 */
record Outcome(AppBackend.Sent sent, String preorderId, Instant firstEtaAt, LocalDate firstPromise, Optional<Schedule> schedule) {

    /** The scheduled date, and when it became the ETA (unknown when scheduling did not change the date). */
    record Schedule(LocalDate date, Optional<Instant> at) {
    }

    Duration toFirstEta() {
        return nonNegative(Duration.between(sent.at(), firstEtaAt));
    }

    Optional<Duration> toScheduled() {
        return schedule.flatMap(Schedule::at).map(at -> nonNegative(Duration.between(sent.at(), at)));
    }

    /** Days the scheduled date is earlier than the first promise (negative: later); empty until scheduled. */
    Optional<Long> daysEarlier() {
        return schedule.map(scheduled -> ChronoUnit.DAYS.between(scheduled.date(), firstPromise));
    }

    /** Empty when the preorder shows no ETA history (nothing to compare with). */
    static Optional<Outcome> of(JsonNode preorder, AppBackend.Sent sent) {
        JsonNode history = preorder.path("etaHistory");
        if (!history.isArray() || history.isEmpty()) {
            return Optional.empty();
        }
        JsonNode first = history.get(0);
        Optional<LocalDate> firstPromise = latestOf(first);
        if (firstPromise.isEmpty() || !first.path("at").isString()) {
            return Optional.empty();
        }
        Optional<Schedule> schedule = Optional.empty();
        if ("DELIVERY_SCHEDULED".equals(preorder.path("status").asString())) {
            Optional<Instant> scheduledAt = Optional.empty();
            for (JsonNode change : history) {
                if (change.path("cause").asString().startsWith("SCHEDULED")) {
                    scheduledAt = Optional.of(Instant.parse(change.path("at").asString()));
                    break;
                }
            }
            Optional<Instant> at = scheduledAt;
            schedule = latestOf(preorder.path("eta")).map(date -> new Schedule(date, at));
        }
        return Optional.of(new Outcome(sent, preorder.path("id").asString(), Instant.parse(first.path("at").asString()),
                firstPromise.get(), schedule));
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

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
