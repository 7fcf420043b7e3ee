package com.su7.system;

import com.su7.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A steady stream of preorders from both entry points while a fault happens: REST requests (each retried with
 * its Idempotency-Key until it is answered with 2xx, as a well-behaved app does) and app events on
 * {@code app.preorder-requests} (a producer that keeps retrying through a broker outage). Once asked to
 * ({@link #cancelSome}), one REST customer in {@value #CANCELLING_ONE_IN} cancels the preorder placed a moment before theirs (queued, or already built: the
 * cancellation then moves its car to the next customer), retried like a placement until it is answered. It remembers
 * every preorder it placed and cancelled and how long each REST customer waited for an answer.
 */
final class PreorderLoad implements AutoCloseable {

    private static final List<String> CITIES = List.of("Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Wuhan");
    private static final List<String> VARIANTS = List.of("SU7", "SU7_PRO", "SU7_MAX");
    private static final List<String> INTERIORS = List.of("Obsidian Black", "Coral Orange", "Ivory White");
    private static final List<String> WHEELS = List.of("19-inch", "20-inch Forged");
    private static final Duration CLIENT_BACK_OFF = Duration.ofMillis(250);
    static final int CANCELLING_ONE_IN = 10;
    private static final List<String> REASONS = List.of("CHANGED_MIND", "FINANCING", "OTHER");

    /** An orders-service instance for each attempt: one, or a load balancer's pick of several. */
    private final Supplier<URI> orders;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> restIds = new CopyOnWriteArrayList<>();
    private final List<String> cancelledIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger cancellationsRefused = new AtomicInteger();
    private final List<String> appCustomers = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<?>> appSends = new CopyOnWriteArrayList<>();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final AtomicLong maxAppAckNanos = new AtomicLong();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final KafkaProducer<String, String> app;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final Duration interval;
    private volatile boolean running = true;
    private volatile boolean choosingOptions;
    private volatile boolean cancelling;
    private final List<Future<?>> loops = new ArrayList<>();

    /** {@code perSecond} preorders a second through each entry point; {@code appKafka}: the app backend's Kafka user. */
    PreorderLoad(URI ordersBaseUri, Map<String, Object> appKafka, int perSecond) {
        this(() -> ordersBaseUri, appKafka, perSecond);
    }

    /** {@code orders}: the base URI of the orders-service instance each request (and each retry) goes to. */
    PreorderLoad(Supplier<URI> orders, Map<String, Object> appKafka, int perSecond) {
        this.orders = orders;
        this.interval = Duration.ofMillis(1000 / perSecond);
        Map<String, Object> settings = new HashMap<>(appKafka);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        // The car app's backend rides out a broker outage: retried, never given up within a case.
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
        this.app = new KafkaProducer<>(settings);
        loops.add(threads.submit(() -> loop(this::placeThroughRest)));
        loops.add(threads.submit(() -> loop(this::placeThroughTheApp)));
    }

    private void loop(Runnable place) {
        long next = System.nanoTime();
        while (running && failure.get() == null) {
            try {
                place.run();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                return;
            }
            next += interval.toNanos();
            // Pacing a load generator, not waiting for an outcome.
            long wait = next - System.nanoTime();
            if (wait > 0) {
                pause(Duration.ofNanos(wait));
            }
        }
    }

    private void placeThroughRest() {
        int i = sequence.incrementAndGet();
        String key = "fault-%s-%d".formatted(run, i);
        ObjectNode request = withOptions(request("fault-" + run, i, "WEB"), i);
        long started = System.nanoTime();
        while (true) {
            Optional<HttpResponse<String>> response = post(key, request);
            if (response.isPresent() && response.get().statusCode() / 100 == 2) {
                maxLatencyNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                restIds.add(Api.JSON.readTree(response.get().body()).path("id").asString());
                // Counted in REST preorders: the sequence is shared with the app's requests, which may take every tenth.
                int placed = restIds.size();
                if (cancelling && placed % CANCELLING_ONE_IN == 0) {
                    cancel(restIds.get(placed - 4), REASONS.get(placed / CANCELLING_ONE_IN % REASONS.size()));
                }
                return;
            }
            if (response.isPresent() && response.get().statusCode() < 500) {
                throw new IllegalStateException("orders refused a valid preorder: %d %s"
                        .formatted(response.get().statusCode(), response.get().body()));
            }
            failedAttempts.incrementAndGet();
            if (System.nanoTime() - started > Duration.ofMinutes(5).toNanos()) {
                throw new IllegalStateException("orders-service did not take preorder %s within 5 minutes".formatted(key));
            }
            pause(CLIENT_BACK_OFF);
        }
    }

    /**
     * Cancels a preorder, retried until orders-service answers: 200 (cancelled) or 409 (its window closed or its car
     * was handed over meanwhile: a factory day is a second here; it stays a preorder like any other).
     */
    private void cancel(String preorderId, String reason) {
        String cancellation = "/api/preorders/%s/cancellation".formatted(preorderId);
        long started = System.nanoTime();
        while (true) {
            Optional<HttpResponse<String>> response = post(orders.get().resolve(cancellation), "cancel-" + preorderId, Api.JSON.createObjectNode().put("reason", reason));
            if (response.isPresent() && response.get().statusCode() == 200) {
                cancelledIds.add(preorderId);
                return;
            }
            if (response.isPresent() && response.get().statusCode() == 409) {
                cancellationsRefused.incrementAndGet();
                return;
            }
            if (response.isPresent() && response.get().statusCode() < 500) {
                throw new IllegalStateException("orders refused a valid cancellation: %d %s"
                        .formatted(response.get().statusCode(), response.get().body()));
            }
            failedAttempts.incrementAndGet();
            if (System.nanoTime() - started > Duration.ofMinutes(5).toNanos()) {
                throw new IllegalStateException("orders-service did not answer the cancellation of %s within 5 minutes".formatted(preorderId));
            }
            pause(CLIENT_BACK_OFF);
        }
    }

    /** Empty when orders-service does not answer at all (killed, restarting). */
    private Optional<HttpResponse<String>> post(String key, ObjectNode request) {
        return post(orders.get().resolve("/api/preorders"), key, request);
    }

    private static Optional<HttpResponse<String>> post(URI uri, String key, ObjectNode request) {
        try {
            return Optional.of(Api.post(uri, key, request));
        } catch (IllegalStateException unreachable) {
            return Optional.empty();
        }
    }

    private void placeThroughTheApp() {
        int i = sequence.incrementAndGet();
        String requestId = UUID.randomUUID().toString();
        ObjectNode request = withOptions(request("fault-" + run, i, "APP"), i).put("requestId", requestId);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        long started = System.nanoTime();
        app.send(new ProducerRecord<>(Topics.PREORDER_REQUESTS, requestId, Api.JSON.writeValueAsString(request)),
                (metadata, error) -> {
                    if (error == null) {
                        maxAppAckNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                        sent.complete(null);
                    } else {
                        sent.completeExceptionally(error);
                    }
                });
        appSends.add(sent);
        appCustomers.add(request.path("customerId").asString());
    }

    /** The {@code i}-th preorder request of a run, for customer {@code <customers>-<i>}: variant and city round-robin. */
    static ObjectNode request(String customers, int i, String channel) {
        return Api.JSON.createObjectNode()
                .put("customerId", customers + "-" + i)
                .put("variant", VARIANTS.get(i % VARIANTS.size()))
                .put("exteriorColor", "Aqua Blue")
                .put("deliveryCity", CITIES.get(i % CITIES.size()))
                .put("deposit", 5000.00)
                .put("channel", channel);
    }

    /**
     * From now on a third of the customers choose their interior and wheels (contract v0.2.0), as the car app does once
     * orders-service takes them: a release before it refuses fields it does not know.
     */
    void chooseOptions() {
        choosingOptions = true;
    }

    /** From now on one REST customer in {@value #CANCELLING_ONE_IN} cancels (contract v0.3.0). */
    void cancelSome() {
        cancelling = true;
    }

    private ObjectNode withOptions(ObjectNode request, int i) {
        if (choosingOptions && i % 3 == 0) {
            request.put("interior", INTERIORS.get(i / 3 % INTERIORS.size())).put("wheels", WHEELS.get(i / 3 % WHEELS.size()));
        }
        return request;
    }

    /** How many preorders have been accepted so far: REST answered, app events acknowledged by Kafka. */
    int accepted() {
        return restIds.size() + (int) appSends.stream().filter(send -> send.isDone() && !send.isCompletedExceptionally()).count();
    }

    /** Stops placing, waits for the requests under way and for Kafka to have every app event. */
    void stop() {
        running = false;
        for (Future<?> loop : loops) {
            try {
                loop.get(6, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException("the load did not stop", e);
            }
        }
        app.flush();
        CompletableFuture.allOf(appSends.toArray(CompletableFuture[]::new)).join();
        if (failure.get() != null) {
            throw new IllegalStateException("the load failed", failure.get());
        }
    }

    List<String> restPreorderIds() {
        return List.copyOf(restIds);
    }

    /** The REST preorders the load cancelled (orders-service answered 200). */
    List<String> cancelledPreorderIds() {
        return List.copyOf(cancelledIds);
    }

    /** Cancellations orders-service refused with 409: too late for them. */
    int cancellationsRefused() {
        return cancellationsRefused.get();
    }

    List<String> appCustomers() {
        return List.copyOf(appCustomers);
    }

    int failedAttempts() {
        return failedAttempts.get();
    }

    /** The longest a REST customer waited for an answer, retries included. */
    Duration maxRestLatency() {
        return Duration.ofNanos(maxLatencyNanos.get());
    }

    /** The longest the app's backend waited for Kafka to acknowledge a request (acks=all). */
    Duration maxAppAckLatency() {
        return Duration.ofNanos(maxAppAckNanos.get());
    }

    /** A fixed pause (pacing, or an outage of a fixed length), never a wait for an outcome. */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        threads.shutdownNow();
        app.close(Duration.ofSeconds(5));
    }
}
