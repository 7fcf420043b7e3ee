package com.su7.orders.preorder;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.events.CancellationReason;
import com.su7.events.PreorderCancelled;
import com.su7.messaging.outbox.Outbox;
import com.su7.orders.eta.EtaProjection;
import com.su7.orders.eta.EtaQueries;
import com.su7.orders.eta.EtaState;
import com.su7.orders.eta.ProjectionStatus;
import com.su7.security.FieldProblem;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Cancels preorders at their customers' request, within the refund window (from when orders-service accepted the
 * preorder, not the app tap it is queued by: a launch backlog does not eat into it): the preorder row records it, the ETA
 * projection shows CANCELLED (and re-estimates the customers behind), and PreorderCancelled goes out through the
 * outbox, all in one transaction. A preorder is cancelled once: asking again answers the first outcome.
 */
@Service
class PreorderCancellations {

    private static final Logger log = LoggerFactory.getLogger(PreorderCancellations.class);

    private final Preorders preorders;
    private final EtaQueries eta;
    private final EtaProjection projection;
    private final Outbox outbox;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final CancellationProperties properties;
    private final MeterRegistry meters;

    PreorderCancellations(Preorders preorders, EtaQueries eta, EtaProjection projection, Outbox outbox, Clock clock,
                          FactoryCalendar calendar, CancellationProperties properties, MeterRegistry meters) {
        this.preorders = preorders;
        this.eta = eta;
        this.projection = projection;
        this.outbox = outbox;
        this.clock = clock;
        this.calendar = calendar;
        this.properties = properties;
        this.meters = meters;
    }

    @Transactional
    CancellationView cancel(String preorderId, CancellationRequest request) {
        CancellationReason reason = reasonOf(request);
        PreorderId id = PreorderId.tryParse(preorderId).orElseThrow(() -> new PreorderNotFoundException(preorderId));
        Preorders.Accepted accepted = preorders.lock(id).orElseThrow(() -> new PreorderNotFoundException(preorderId));
        Preorder preorder = accepted.preorder();
        if (preorder.cancellation() != null) {
            return CancellationView.of(preorder);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant refundableUntil = accepted.acceptedAt().plus(calendar.dayLength().multipliedBy(properties.refundWindowDays()));
        if (!now.isBefore(refundableUntil)) {
            refused("refund-window-closed");
            throw CancellationRefusedException.refundWindowClosed(id, refundableUntil);
        }
        EtaState state = eta.states(List.of(id)).get(id);
        if (state != null && state.status() == ProjectionStatus.DELIVERY_SCHEDULED && !state.eta().earliest().isAfter(calendar.today(clock))) {
            refused("already-delivered");
            throw CancellationRefusedException.delivered(id, state.eta().earliest());
        }
        Preorder.Cancellation cancellation = new Preorder.Cancellation(now, reason);
        preorders.cancel(id, cancellation);
        projection.cancelledAll(Map.of(id, now));
        outbox.record(Topics.PREORDER_CANCELLED, id.toString(), PreorderCancelled.newBuilder()
                .setEventId(eventIdOf(id).toString())
                .setOccurredAt(now)
                .setPreorderId(id.toString())
                .setCustomerId(preorder.customerId())
                .setVariant(preorder.variant())
                .setReason(reason)
                .build());
        meters.counter("su7.orders.cancelled", "reason", reason.name()).increment();
        log.info("preorder {} cancelled ({}), {} after it was accepted", id, reason, Duration.between(accepted.acceptedAt(), now));
        return CancellationView.of(preorder.cancelled(cancellation));
    }

    /** The same for the same preorder: it is cancelled at most once. */
    static UUID eventIdOf(PreorderId id) {
        return UUID.nameUUIDFromBytes("PreorderCancelled:%s".formatted(id).getBytes(StandardCharsets.UTF_8));
    }

    private static CancellationReason reasonOf(CancellationRequest request) {
        String reason = request == null ? null : request.reason();
        if (reason != null) {
            for (CancellationReason known : CancellationReason.values()) {
                if (known.name().equals(reason)) {
                    return known;
                }
            }
        }
        throw new InvalidPreorderException(List.of(new FieldProblem("reason", "%s: must be one of %s".formatted(
                reason == null ? "is required" : "is not a reason", Arrays.toString(CancellationReason.values())))));
    }

    private void refused(String why) {
        meters.counter("su7.orders.cancellation.refused", "reason", why).increment();
    }
}
