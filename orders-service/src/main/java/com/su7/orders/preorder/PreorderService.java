package com.su7.orders.preorder;

import com.su7.contract.Topics;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.messaging.outbox.Outbox;
import com.su7.orders.eta.EtaProjection;
import com.su7.orders.transit.Transit;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Takes preorders, one behaviour for both entry points: validate, insert once per idempotency key (the same
 * request again returns the preorder it placed, a different one is a conflict), start its ETA and publish
 * PreorderPlaced through the outbox, all in one transaction.
 */
@Service
class PreorderService {

    private static final Logger log = LoggerFactory.getLogger(PreorderService.class);

    private final Preorders preorders;
    private final PreorderValidation validation;
    private final Transit transit;
    private final EtaProjection eta;
    private final Outbox outbox;
    private final Clock clock;
    private final MeterRegistry meters;

    PreorderService(Preorders preorders, PreorderValidation validation, Transit transit, EtaProjection eta, Outbox outbox,
                    Clock clock, MeterRegistry meters) {
        this.preorders = preorders;
        this.validation = validation;
        this.transit = transit;
        this.eta = eta;
        this.outbox = outbox;
        this.clock = clock;
        this.meters = meters;
    }

    /** The preorder a request placed, and whether this call placed it (false: a replay of the same request). */
    record Placement(PreorderId id, boolean placedNow) {
    }

    /**
     * @param requestedAt when the customer ordered, if the request says so (never later than now); else now
     */
    @Transactional
    public Placement place(PreorderRequest request, String idempotencyKey, String keyName, EntryPoint entryPoint, Instant requestedAt) {
        List<FieldProblem> problems = validation.problemsOf(request, idempotencyKey, keyName);
        if (!problems.isEmpty()) {
            rejected(entryPoint, "invalid");
            throw new InvalidPreorderException(problems);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant placedAt = requestedAt == null || requestedAt.isAfter(now) ? now : requestedAt.truncatedTo(ChronoUnit.MILLIS);
        String city = transit.city(request.deliveryCity()).orElseThrow();
        Preorder preorder = Preorder.of(request, city, idempotencyKey, entryPoint, placedAt);
        if (!preorders.insertIfKeyIsNew(preorder)) {
            Preorder earlier = preorders.withKey(idempotencyKey).orElseThrow(() ->
                    new IllegalStateException("idempotency key %s is taken but its preorder is not there".formatted(idempotencyKey)));
            if (!earlier.requestHash().equals(preorder.requestHash())) {
                rejected(entryPoint, "conflict");
                throw new IdempotencyConflictException(idempotencyKey, earlier.id());
            }
            log.info("preorder request {} replayed: preorder {} was placed for it already", idempotencyKey, earlier.id());
            return new Placement(earlier.id(), false);
        }
        eta.placed(preorder.id().value(), preorder.variant(), preorder.deliveryCity(), placedAt);
        outbox.record(Topics.PREORDER_PLACED, preorder.id().toString(), preorder.placed(now));
        log.info("preorder {} placed ({} {} for {}, via {})", preorder.id(), preorder.variant(), preorder.exteriorColor(),
                preorder.deliveryCity(), entryPoint);
        afterCommit(() -> meters.counter("su7.orders.placed", "channel", preorder.channel().name(),
                "entryPoint", entryPoint.name()).increment());
        return new Placement(preorder.id(), true);
    }

    /** An app request: its request id is the idempotency key; what can never be placed goes to the dead letters. */
    @Transactional
    public void place(AppPreorderRequest request) {
        try {
            place(request.request(), request.requestId(), "requestId", EntryPoint.APP_EVENT, request.requestedAt());
        } catch (InvalidPreorderException | IdempotencyConflictException e) {
            throw new PermanentEventException(e.getMessage(), e);
        }
    }

    private void rejected(EntryPoint entryPoint, String reason) {
        afterCompletion(() -> meters.counter("su7.orders.rejected", "entryPoint", entryPoint.name(), "reason", reason).increment());
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }

    private static void afterCompletion(Runnable action) {
        // A rejection rolls the transaction back: count it however it ends.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
