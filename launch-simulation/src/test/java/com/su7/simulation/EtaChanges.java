package com.su7.simulation;

import com.su7.events.EtaChangeCause;
import com.su7.events.EtaChanged;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** EtaChanged events and notices of one preorder as orders-service writes them, for the notification tests. */
final class EtaChanges {

    static final Instant T0 = Instant.parse("2026-03-28T00:00:00Z");

    private EtaChanges() {
    }

    static LocalDate may(int day) {
        return LocalDate.of(2026, 5, day);
    }

    static EtaChanged event(String preorderId, String customerId, int revision, EtaDirection direction, EtaChangeCause cause,
                            PreorderStatus status, LocalDate earliest, LocalDate latest) {
        return event(preorderId, customerId, revision, direction, cause, status, earliest, latest, T0);
    }

    static EtaChanged event(String preorderId, String customerId, int revision, EtaDirection direction, EtaChangeCause cause,
                            PreorderStatus status, LocalDate earliest, LocalDate latest, Instant occurredAt) {
        return EtaChanged.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes("EtaChanged:%s:%d".formatted(preorderId, revision).getBytes()).toString())
                .setOccurredAt(occurredAt)
                .setPreorderId(preorderId)
                .setCustomerId(customerId)
                .setRevision(revision)
                .setEarliest(earliest)
                .setLatest(latest)
                .setStatus(status)
                .setDirection(direction)
                .setCause(cause)
                .build();
    }

    /** The placement: the first ETA, a range ending on {@code latest}. */
    static EtaNotice placed(String preorderId, String customerId, LocalDate latest) {
        return notice(preorderId, customerId, 1, EtaDirection.FIRST, EtaChangeCause.PLACED, PreorderStatus.PLACED,
                latest.minusDays(7), latest, T0);
    }

    /** A re-estimate to a range ending on {@code latest}, in the direction orders-service gives against its previous one. */
    static EtaNotice reestimated(String preorderId, String customerId, int revision, EtaDirection direction, LocalDate latest) {
        return notice(preorderId, customerId, revision, direction, EtaChangeCause.RATE_CHANGED, PreorderStatus.PLACED,
                latest.minusDays(7), latest, T0);
    }

    static EtaNotice notice(String preorderId, String customerId, int revision, EtaDirection direction, EtaChangeCause cause,
                            PreorderStatus status, LocalDate earliest, LocalDate latest, Instant onTopicAt) {
        return EtaNotice.of(event(preorderId, customerId, revision, direction, cause, status, earliest, latest, onTopicAt), onTopicAt);
    }
}
