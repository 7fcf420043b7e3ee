package com.su7.orders.preorder;

import com.su7.contract.PreorderId;
import com.su7.messaging.inbox.Received;
import com.su7.messaging.tracing.Traces;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Places REST requests a batch at a time: requests that arrive while a batch is being placed wait for the next one,
 * which takes them all (up to {@link PlacementProperties#maxBatch()}) in one transaction through the same set-based
 * path as the app's requests, with one commit (one fsync) and a fixed number of statements, and reads their views
 * back together. Under a launch burst the batches grow and each request's share of the work shrinks; alone, a
 * request is a batch of one and waits for nothing. A full queue is refused at once ({@link PlacementsBusyException}:
 * 503), so a caller never waits behind more than the service can place in a moment.
 */
@Component
class PlacementQueue {

    private static final Logger log = LoggerFactory.getLogger(PlacementQueue.class);
    /** How long a stopping service waits for the batch being placed. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final int TRANSIENT_ATTEMPTS = 3;
    /** A caller waits at most this long (a database that does not answer): then 5xx, and it may send the request again. */
    private static final Duration CALLER_PATIENCE = Duration.ofSeconds(60);

    /** A request waiting for its batch: the preorder to place, its trace, and its caller. */
    private record Waiting(Received<Preorder> candidate, CompletableFuture<Placed> caller) {
    }

    /** What a REST request gets back: the placement, and the preorder as the customer now sees it. */
    record Placed(PreorderService.Placement placement, PreorderView view) {
    }

    private final PreorderService service;
    private final PreorderQueries queries;
    private final TransactionTemplate transactions;
    private final PlacementProperties properties;
    private final Traces traces;
    private final BlockingQueue<Waiting> waiting;
    private final DistributionSummary batchSizes;
    private final Thread placer;
    private volatile boolean stopping;

    PlacementQueue(PreorderService service, PreorderQueries queries, PlatformTransactionManager transactionManager,
                   PlacementProperties properties, MeterRegistry meters, Traces traces) {
        this.service = service;
        this.traces = traces;
        this.queries = queries;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
        this.waiting = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.batchSizes = DistributionSummary.builder("su7.orders.placement.batch").baseUnit("preorders")
                .description("REST placements per transaction").register(meters);
        meters.gauge("su7.orders.placement.waiting", waiting, BlockingQueue::size);
        this.placer = Thread.ofPlatform().name("rest-placements").daemon().start(this::placeUntilStopped);
    }

    /** Places the preorder with the next batch and waits for it; its event continues the request's trace. */
    Placed place(Preorder candidate) {
        Waiting request = new Waiting(new Received<>(candidate, traces.current()), new CompletableFuture<>());
        if (stopping || !waiting.offer(request)) {
            throw new PlacementsBusyException(properties.queueCapacity());
        }
        if (stopping && waiting.remove(request)) {
            // Queued after the placer took its last batch: nobody would place it.
            throw new PlacementsBusyException(properties.queueCapacity());
        }
        try {
            return request.caller().orTimeout(CALLER_PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void placeUntilStopped() {
        List<Waiting> batch = new ArrayList<>(properties.maxBatch());
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(waiting.take());
            } catch (InterruptedException stopping) {
                break;
            }
            waiting.drainTo(batch, properties.maxBatch() - 1);
            place(batch);
            batch.clear();
        }
        List<Waiting> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(request -> request.caller().completeExceptionally(new PlacementsBusyException(properties.queueCapacity())));
    }

    private void place(List<Waiting> batch) {
        try {
            List<PreorderService.Outcome> outcomes = placeAll(batch.stream().map(Waiting::candidate).toList());
            batchSizes.record(batch.size());
            Map<PreorderId, PreorderView> views = queries.findAll(outcomes.stream()
                    .filter(outcome -> outcome.conflict() == null).map(outcome -> outcome.placement().id()).distinct().toList());
            for (int i = 0; i < batch.size(); i++) {
                PreorderService.Outcome outcome = outcomes.get(i);
                CompletableFuture<Placed> caller = batch.get(i).caller();
                if (outcome.conflict() != null) {
                    caller.completeExceptionally(outcome.conflict());
                } else {
                    caller.complete(new Placed(outcome.placement(), views.get(outcome.placement().id())));
                }
            }
        } catch (RuntimeException | Error e) {
            // Not the requests' fault (they were validated): the database or a bug. Each caller gets the error (a 5xx)
            // and may send its request again with the same Idempotency-Key; the placer goes on with the next batch.
            log.warn("a batch of {} REST placements failed: {}", batch.size(), e.toString());
            batch.forEach(request -> request.caller().completeExceptionally(e));
        }
    }

    /**
     * A deadlock or a serialization failure (with a projection rebuild's switch, say) is the database's, not the
     * requests': the batch is placed again, in a new transaction.
     */
    private List<PreorderService.Outcome> placeAll(List<Received<Preorder>> candidates) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> service.placeAll(EntryPoint.REST, candidates));
            } catch (TransientDataAccessException e) {
                if (attempt == TRANSIENT_ATTEMPTS) {
                    throw e;
                }
                log.info("placing a batch of {} REST requests again after: {}", candidates.size(), e.getMostSpecificCause().getMessage());
            }
        }
    }

    /** After the web server has finished its requests (graceful shutdown): nothing is waiting any more. */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        placer.interrupt();
        placer.join(STOP_WAIT);
    }
}
