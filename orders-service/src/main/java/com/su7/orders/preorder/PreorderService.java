package com.su7.orders.preorder;

import com.su7.contract.DeliveryCities;
import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.messaging.inbox.Received;
import com.su7.messaging.outbox.Outbox;
import com.su7.orders.eta.EtaProjection;
import com.su7.security.FieldProblem;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Duration;
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
 * PreorderPlaced through the outbox, a batch at a time in one transaction ({@link PlacementQueue} gathers REST
 * requests into batches).
 */
@Service
class PreorderService {

    private static final Logger log = LoggerFactory.getLogger(PreorderService.class);

    private final Preorders preorders;
    private final PreorderValidation validation;
    private final EtaProjection eta;
    private final Outbox outbox;
    private final Clock clock;
    private final Duration requestedAtSkew;
    private final MeterRegistry meters;

    PreorderService(Preorders preorders, PreorderValidation validation, EtaProjection eta, Outbox outbox,
                    Clock clock, PlacementProperties properties, MeterRegistry meters) {
        this.preorders = preorders;
        this.validation = validation;
        this.eta = eta;
        this.outbox = outbox;
        this.clock = clock;
        this.requestedAtSkew = properties.requestedAtSkew();
        this.meters = meters;
    }

    /** The preorder a request placed, and whether this call placed it (false: a replay of the same request). */
    record Placement(PreorderId id, boolean placedNow) {
    }

    /** What placing one candidate came to: its placement, or the conflict of a key used for a different order. */
    record Outcome(Placement placement, IdempotencyConflictException conflict) {
    }

    /**
     * A preorder to place from a request: validated (an invalid one is refused here, before it costs a statement),
     * placed at its receipt, or at the app's requestedAt within the skew before receipt ({@link PlacedAt}).
     */
    Preorder candidate(PreorderRequest request, String idempotencyKey, String keyName, EntryPoint entryPoint,
                       Instant requestedAt, Instant receivedAt) {
        List<FieldProblem> problems = validation.problemsOf(request, idempotencyKey, keyName);
        if (!problems.isEmpty()) {
            rejected(entryPoint, "invalid");
            throw new InvalidPreorderException(problems);
        }
        Instant placedAt = PlacedAt.of(requestedAt, receivedAt, clock.instant(), requestedAtSkew);
        if (requestedAt != null && !placedAt.equals(requestedAt.truncatedTo(ChronoUnit.MILLIS))) {
            // Ops watch this: a client whose taps keep landing outside the skew has a wrong clock or is trying to jump.
            meters.counter("su7.orders.requested.at.moved", "direction", placedAt.isAfter(requestedAt) ? "later" : "earlier")
                    .increment();
        }
        return Preorder.of(request, DeliveryCities.get(request.deliveryCity()).name(), idempotencyKey, entryPoint, placedAt);
    }

    /**
     * Places a batch of candidates with a few set-based statements whatever its size: each is inserted once per
     * idempotency key (the same request again is a replay of the preorder it placed, a different one a conflict),
     * starts its ETA and records PreorderPlaced in the outbox, in the caller's transaction. Both entry points come
     * here: the app's requests a polled batch at a time, REST requests as they arrive together.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Outcome> placeAll(EntryPoint entryPoint, List<Received<Preorder>> candidates) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Preorder> preorders = candidates.stream().map(Received::event).toList();
        Set<UUID> inserted = this.preorders.insertAllIfKeysAreNew(preorders, now);
        Map<String, Preorder> earlier = inserted.size() == preorders.size() ? Map.of()
                : this.preorders.withKeys(preorders.stream().filter(preorder -> !inserted.contains(preorder.id().value()))
                        .map(Preorder::idempotencyKey).distinct().toList());
        List<Outcome> outcomes = new ArrayList<>(candidates.size());
        List<Preorder> placed = new ArrayList<>(candidates.size());
        for (Received<Preorder> candidate : candidates) {
            Preorder preorder = candidate.event();
            if (inserted.contains(preorder.id().value())) {
                placed.add(preorder);
                outcomes.add(new Outcome(new Placement(preorder.id(), true), null));
                continue;
            }
            Preorder first = earlier.get(preorder.idempotencyKey());
            if (first == null) {
                throw new IllegalStateException("idempotency key %s is taken but its preorder is not there".formatted(preorder.idempotencyKey()));
            }
            if (!first.requestHash().equals(preorder.requestHash())) {
                rejected(entryPoint, "conflict");
                outcomes.add(new Outcome(null, new IdempotencyConflictException(preorder.idempotencyKey(), first.id())));
            } else {
                log.debug("preorder request {} replayed: preorder {} was placed for it already", preorder.idempotencyKey(), first.id());
                outcomes.add(new Outcome(new Placement(first.id(), false), null));
            }
        }
        eta.placedAll(placed.stream().map(preorder -> new EtaProjection.NewPreorder(preorder.id(), preorder.variant(),
                preorder.deliveryCity(), preorder.placedAt())).toList());
        for (Received<Preorder> candidate : candidates) {
            Preorder preorder = candidate.event();
            if (inserted.contains(preorder.id().value())) {
                candidate.inItsTrace(() -> outbox.record(Topics.PREORDER_PLACED, preorder.id().toString(), preorder.placed(now)));
                log.debug("preorder {} placed ({} {} for {}, via {})", preorder.id(), preorder.variant(), preorder.exteriorColor(),
                        preorder.deliveryCity(), entryPoint);
            }
        }
        placed.stream().collect(Collectors.groupingBy(preorder -> preorder.channel().name(), Collectors.counting()))
                .forEach((channel, count) -> afterCommit(() -> meters.counter("su7.orders.placed", "channel", channel,
                        "entryPoint", entryPoint.name()).increment(count)));
        return outcomes;
    }

    /**
     * The app requests of one polled batch (request id = idempotency key), placed as one batch. What can never be
     * placed (invalid, or a request id reused for another order) fails the batch with a {@link PermanentEventException};
     * the inbox then places the batch one request per call, and only that one goes to the dead letters.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void placeAll(List<Received<AppPreorderRequest>> requests) {
        List<Received<Preorder>> candidates = new ArrayList<>(requests.size());
        for (Received<AppPreorderRequest> received : requests) {
            AppPreorderRequest request = received.event();
            try {
                candidates.add(new Received<>(candidate(request.request(), request.requestId(), "requestId", EntryPoint.APP_EVENT,
                        request.requestedAt(), request.receivedAt()), received.trace()));
            } catch (InvalidPreorderException invalid) {
                throw new PermanentEventException(invalid.getMessage());
            }
        }
        for (Outcome outcome : placeAll(EntryPoint.APP_EVENT, candidates)) {
            if (outcome.conflict() != null) {
                throw new PermanentEventException(outcome.conflict().getMessage());
            }
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
