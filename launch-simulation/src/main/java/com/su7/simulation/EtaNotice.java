package com.su7.simulation;

import com.su7.events.EtaChangeCause;
import com.su7.events.EtaChanged;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What the notification service keeps of one {@link EtaChanged}: whom it concerns, what the customer is shown now and
 * why, when orders-service made the change ({@code occurredAt}) and when it was on the topic (the record's timestamp).
 */
record EtaNotice(String preorderId, String customerId, int revision, EtaDirection direction, EtaChangeCause cause,
                 PreorderStatus status, LocalDate earliest, LocalDate latest, Instant occurredAt, Instant onTopicAt) {

    static EtaNotice of(EtaChanged event, Instant onTopicAt) {
        return new EtaNotice(event.getPreorderId(), event.getCustomerId(), event.getRevision(), event.getDirection(),
                event.getCause(), event.getStatus(), event.getEarliest(), event.getLatest(), event.getOccurredAt(), onTopicAt);
    }
}
