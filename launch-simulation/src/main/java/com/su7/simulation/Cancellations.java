package com.su7.simulation;

import com.su7.events.CancellationReason;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The customers who cancel, as the car app's backend asks for them: {@code POST /api/preorders/{id}/cancellation}
 * (role APP) with their reason, at the time the {@link CancellationPlan} gave them after their preorder was placed.
 * The backend knows its request ids, not the preorders' ids: it looks the preorders up a hundred at a time
 * ({@code GET /api/preorders/lookup}), again every second until each is placed. A 429 or 503 is asked again after
 * its {@code Retry-After} (the same call answers the same), an unanswered call up to three times.
 */
final class Cancellations implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration LOOKUP_AGAIN = Duration.ofSeconds(1);
    private static final int ATTEMPTS = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI orders;
    private final SimulationOptions.AppClient client;
    private final SystemProbe probe;
    private final CancellationPlan plan;
    private final Random random = new Random(17);
    /** Handed over from the sending thread to the worker. */
    private final ConcurrentLinkedQueue<Planned> incoming = new ConcurrentLinkedQueue<>();
    /** Calls in flight at once: cancellations are a trickle beside the launch's preorders. */
    private final Semaphore calls = new Semaphore(16);
    private final Thread worker;
    private volatile boolean running = true;

    private final AtomicInteger planned = new AtomicInteger();
    private final AtomicInteger requested = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger unknown = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger late = new AtomicInteger();
    private final AtomicInteger acceptedAWindowAfterTheTap = new AtomicInteger();
    private final Map<String, Integer> refusedBy = new TreeMap<>();
    private final Map<CancellationReason, Integer> acceptedByReason = new EnumMap<>(CancellationReason.class);
    private final Map<Integer, Integer> otherAnswers = new TreeMap<>();

    /** A planned cancellation: the request that placed the preorder, then the preorder once found. */
    private static final class Planned {
        final AppBackend.Sent sent;
        final CancellationPlan.Cancellation cancellation;
        String preorderId;
        Instant acceptedAt;
        Instant due;

        Planned(AppBackend.Sent sent, CancellationPlan.Cancellation cancellation) {
            this.sent = sent;
            this.cancellation = cancellation;
        }
    }

    Cancellations(URI ordersUrl, SimulationOptions.AppClient client, SystemProbe probe, CancellationPlan plan) {
        this.orders = ordersUrl;
        this.client = client;
        this.probe = probe;
        this.plan = plan;
        this.worker = Thread.ofVirtual().name("cancellations").start(this::work);
    }

    /** The customer behind this request may cancel, as the plan decides. */
    void consider(AppBackend.Sent sent) {
        plan.decide(random).ifPresent(cancellation -> {
            planned.incrementAndGet();
            incoming.add(new Planned(sent, cancellation));
        });
    }

    private void work() {
        List<Planned> unplaced = new ArrayList<>();
        PriorityQueue<Planned> waiting = new PriorityQueue<>((a, b) -> a.due.compareTo(b.due));
        Instant nextLookup = Instant.MIN;
        while (running) {
            for (Planned next; (next = incoming.poll()) != null; ) {
                unplaced.add(next);
            }
            Instant now = Instant.now();
            if (!unplaced.isEmpty() && !now.isBefore(nextLookup)) {
                for (int from = 0; from < unplaced.size(); from += SystemProbe.KEYS_PER_LOOKUP) {
                    List<Planned> batch = unplaced.subList(from, Math.min(unplaced.size(), from + SystemProbe.KEYS_PER_LOOKUP));
                    Map<String, JsonNode> found = probe.preordersWithKeys(batch.stream().map(planned -> planned.sent.requestId()).toList());
                    for (Planned planned : batch) {
                        JsonNode preorder = found.get(planned.sent.requestId());
                        if (preorder != null && preorder.path("placedAt").isString()) {
                            planned.preorderId = preorder.path("id").asString();
                            // The window runs from orders' acceptance, which the customer learns when the app finds the
                            // preorder: at most a lookup interval after it. placedAt is their tap, their place in the queue.
                            planned.acceptedAt = now;
                            planned.due = planned.acceptedAt.plus(planned.cancellation.afterPlacement());
                            if (!now.isBefore(Instant.parse(preorder.path("placedAt").asString()).plus(plan.refundWindow()))) {
                                acceptedAWindowAfterTheTap.incrementAndGet();
                            }
                            waiting.add(planned);
                        }
                    }
                }
                unplaced.removeIf(planned -> planned.preorderId != null);
                nextLookup = now.plus(LOOKUP_AGAIN);
            }
            while (!waiting.isEmpty() && !waiting.peek().due.isAfter(Instant.now())) {
                Planned due = waiting.poll();
                calls.acquireUninterruptibly();
                if (!Instant.now().isBefore(due.acceptedAt.plus(plan.refundWindow()))) {
                    late.incrementAndGet();
                }
                Thread.ofVirtual().start(() -> {
                    try {
                        cancel(due.preorderId, due.cancellation.reason());
                    } catch (RuntimeException e) {
                        // an answer it could not read: still one answer, so the run does not wait for it
                        failed.incrementAndGet();
                    } finally {
                        calls.release();
                    }
                });
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /** Counts the outcome once: accepted, refused, unknown or failed. */
    private void cancel(String preorderId, CancellationReason reason) {
        requested.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(orders.resolve("/api/preorders/%s/cancellation".formatted(preorderId)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", client.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(JSON.createObjectNode().put("reason", reason.name()))))
                .build();
        Optional<HttpResponse<String>> answer = send(request);
        if (answer.isEmpty()) {
            failed.incrementAndGet();
            return;
        }
        HttpResponse<String> response = answer.get();
        switch (response.statusCode()) {
            case 200 -> {
                if ("CANCELLED".equals(JSON.readTree(response.body()).path("status").asString())) {
                    accepted.incrementAndGet();
                    synchronized (acceptedByReason) {
                        acceptedByReason.merge(reason, 1, Integer::sum);
                    }
                } else {
                    failed.incrementAndGet();
                }
            }
            case 409 -> {
                // the problem's type says why: urn:su7:problem:refund-window-closed, …:already-delivered
                String type = JSON.readTree(response.body()).path("type").asString();
                refused.incrementAndGet();
                synchronized (refusedBy) {
                    refusedBy.merge(type.substring(Math.max(type.lastIndexOf('/'), type.lastIndexOf(':')) + 1), 1, Integer::sum);
                }
            }
            case 404 -> unknown.incrementAndGet();
            default -> {
                failed.incrementAndGet();
                synchronized (otherAnswers) {
                    otherAnswers.merge(response.statusCode(), 1, Integer::sum);
                }
            }
        }
    }

    /** The final answer, after any 429 or 503; empty when the service did not answer. */
    private Optional<HttpResponse<String>> send(HttpRequest request) {
        int unanswered = 0;
        while (true) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 429 && response.statusCode() != 503) {
                    return Optional.of(response);
                }
                Thread.sleep(Duration.ofSeconds(response.headers().firstValueAsLong("Retry-After").orElse(1)));
            } catch (IOException e) {
                if (++unanswered >= ATTEMPTS) {
                    return Optional.empty();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Waits until every planned cancellation has its answer; false at the deadline. */
    boolean awaitAnswered(Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            if (answered() >= planned.get()) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        return false;
    }

    private int answered() {
        return accepted.get() + refused.get() + unknown.get() + failed.get();
    }

    int accepted() {
        return accepted.get();
    }

    /** What came of the cancellations, for the report. */
    Outcomes outcomes() {
        synchronized (acceptedByReason) {
            synchronized (refusedBy) {
                synchronized (otherAnswers) {
                    return new Outcomes(plan.share(), planned.get(), requested.get(), late.get(), acceptedAWindowAfterTheTap.get(),
                            accepted.get(), refused.get(),
                            unknown.get(), failed.get(), planned.get() - requested.get(), Map.copyOf(acceptedByReason),
                            Map.copyOf(refusedBy), Map.copyOf(otherAnswers));
                }
            }
        }
    }

    /**
     * @param planned          customers the plan chose to cancel
     * @param requested        cancellation calls made (a preorder found placed)
     * @param requestedLate    of those, made when the refund window had closed by the backend's clock (it got a
     *                         connection too late)
     * @param acceptedAWindowAfterTheTap of those, for preorders orders-service accepted a whole refund window or more
     *                         after the customer's tap (a launch backlog): the window runs from acceptance, so they
     *                         still get all of it
     * @param accepted         200, status CANCELLED
     * @param refused          409: past the refund window, or delivered ({@code refusedBy} problem type)
     * @param unknownPreorder  404
     * @param failed           no answer, or another one ({@code otherAnswers} by status)
     * @param neverRequested   planned, but the preorder was not found placed in time
     */
    record Outcomes(double share, int planned, int requested, int requestedLate, int acceptedAWindowAfterTheTap, int accepted, int refused,
                    int unknownPreorder,
                    int failed, int neverRequested, Map<CancellationReason, Integer> acceptedByReason,
                    Map<String, Integer> refusedBy, Map<Integer, Integer> otherAnswers) {
    }

    @Override
    public void close() {
        running = false;
        try {
            worker.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
