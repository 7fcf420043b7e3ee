package com.su7.orders.preorder;

import com.su7.contract.Topics;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.messaging.inbox.Received;
import com.su7.messaging.outbox.Outbox;
import com.su7.orders.eta.EtaProjection;
import com.su7.orders.transit.Transit;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

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
        eta.placedAll(List.of(new EtaProjection.NewPreorder(preorder.id().value(), preorder.variant(), preorder.deliveryCity(), placedAt)));
        outbox.record(Topics.PREORDER_PLACED, preorder.id().toString(), preorder.placed(now));
        log.info("preorder {} placed ({} {} for {}, via {})", preorder.id(), preorder.variant(), preorder.exteriorColor(),
                preorder.deliveryCity(), entryPoint);
        afterCommit(() -> meters.counter("su7.orders.placed", "channel", preorder.channel().name(),
                "entryPoint", entryPoint.name()).increment());
        return new Placement(preorder.id(), true);
    }

    /**
     * The app requests of one polled batch (request id = idempotency key), placed with a few set-based statements
     * for the whole batch instead of a dozen per request: the same outcome as {@link #place} one by one, in order.
     * What can never be placed (invalid, or a request id reused for another order) fails the batch with a
     * {@link PermanentEventException}; the inbox then places the batch one request per call, and only that one
     * goes to the dead letters.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void placeAll(List<Received<AppPreorderRequest>> requests) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Preorder> candidates = new ArrayList<>(requests.size());
        for (Received<AppPreorderRequest> received : requests) {
            AppPreorderRequest request = received.event();
            List<FieldProblem> problems = validation.problemsOf(request.request(), request.requestId(), "requestId");
            if (!problems.isEmpty()) {
                rejected(EntryPoint.APP_EVENT, "invalid");
                throw new PermanentEventException(new InvalidPreorderException(problems).getMessage());
            }
            Instant requestedAt = request.requestedAt();
            Instant placedAt = requestedAt == null || requestedAt.isAfter(now) ? now : requestedAt.truncatedTo(ChronoUnit.MILLIS);
            candidates.add(Preorder.of(request.request(), transit.city(request.request().deliveryCity()).orElseThrow(),
                    request.requestId(), EntryPoint.APP_EVENT, placedAt));
        }
        Set<UUID> inserted = preorders.insertAllIfKeysAreNew(candidates);
        List<Preorder> replayed = candidates.stream().filter(preorder -> !inserted.contains(preorder.id().value())).toList();
        if (!replayed.isEmpty()) {
            Map<String, Preorder> earlier = preorders.withKeys(replayed.stream().map(Preorder::idempotencyKey).distinct().toList());
            for (Preorder replay : replayed) {
                Preorder placed = earlier.get(replay.idempotencyKey());
                if (placed == null) {
                    throw new IllegalStateException("idempotency key %s is taken but its preorder is not there".formatted(replay.idempotencyKey()));
                }
                if (!placed.requestHash().equals(replay.requestHash())) {
                    rejected(EntryPoint.APP_EVENT, "conflict");
                    throw new PermanentEventException(new IdempotencyConflictException(replay.idempotencyKey(), placed.id()).getMessage());
                }
                log.info("preorder request {} replayed: preorder {} was placed for it already", replay.idempotencyKey(), placed.id());
            }
        }
        List<Preorder> placed = candidates.stream().filter(preorder -> inserted.contains(preorder.id().value())).toList();
        eta.placedAll(placed.stream().map(preorder -> new EtaProjection.NewPreorder(preorder.id().value(), preorder.variant(),
                preorder.deliveryCity(), preorder.placedAt())).toList());
        for (int i = 0; i < candidates.size(); i++) {
            Preorder preorder = candidates.get(i);
            if (inserted.contains(preorder.id().value())) {
                requests.get(i).inItsCorrelation(() -> outbox.record(Topics.PREORDER_PLACED, preorder.id().toString(), preorder.placed(now)));
                log.debug("preorder {} placed ({} {} for {}, via {})", preorder.id(), preorder.variant(), preorder.exteriorColor(),
                        preorder.deliveryCity(), EntryPoint.APP_EVENT);
            }
        }
        placed.stream().collect(Collectors.groupingBy(preorder -> preorder.channel().name(), Collectors.counting()))
                .forEach((channel, count) -> afterCommit(() -> meters.counter("su7.orders.placed", "channel", channel,
                        "entryPoint", EntryPoint.APP_EVENT.name()).increment(count)));
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
