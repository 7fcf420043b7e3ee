package com.su7.simulation;

import com.su7.contract.DeliveryCities;
import com.su7.contract.DeliveryCity;
import com.su7.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the car app's backend: preorder requests as JSON app events on Kafka, and through the REST API, whose
 * latency it measures per launch day: from sending the request to the final response, waits after a 429 included
 * (what the customer waits once the backend calls), the wait for one of the backend's connections not.
 */
final class AppBackend implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How many customers want their car in a city, relative: like the delivery network was sized (its default capacities). */
    private static final Map<String, Integer> DEMAND = Map.ofEntries(Map.entry("Beijing", 220), Map.entry("Shanghai", 220),
            Map.entry("Guangzhou", 160), Map.entry("Shenzhen", 160), Map.entry("Chengdu", 120), Map.entry("Hangzhou", 110),
            Map.entry("Wuhan", 100), Map.entry("Chongqing", 100), Map.entry("Nanjing", 90), Map.entry("Suzhou", 80),
            Map.entry("Xi'an", 80), Map.entry("Tianjin", 60));
    /** Where customers want their car: the cities of the contract (one it adds gets an average demand). */
    private static final List<String> CITIES = DeliveryCities.ALL.stream().map(DeliveryCity::name).toList();
    private static final int[] CITY_WEIGHTS = CITIES.stream().mapToInt(city -> DEMAND.getOrDefault(city, 100)).toArray();
    private static final List<String> INTERIORS = List.of("Obsidian Black", "Coral Orange", "Ivory White");
    private static final List<String> WHEELS = List.of("19-inch", "20-inch Forged");
    private static final List<String> COLORS = List.of("Aqua Blue", "Olivine Grey", "Verde Green", "Mineral Grey",
            "Pearl White", "Diamond Black", "Lava Orange", "Elegant Purple", "Sunset Yellow");

    private final KafkaProducer<String, String> kafka;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI preorders;
    private final SimulationOptions.AppClient client;
    /** The backend's connections to the REST API, taken in order of arrival. */
    private final Semaphore restInFlight = new Semaphore(64, true);
    private final Queue<CompletableFuture<Void>> restCalls = new ConcurrentLinkedQueue<>();
    private final Random random = new Random(20240328);
    private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final DailyLatencies restLatency;

    AppBackend(String bootstrapServers, URI ordersUrl, SimulationOptions.AppClient client, int launchDays) {
        this.client = client;
        this.restLatency = new DailyLatencies(launchDays);
        // The app's own Kafka user, whose ACLs let it write preorder requests and nothing else.
        Map<String, Object> settings = client.kafka().clientSettings(bootstrapServers);
        settings.putAll(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        this.kafka = new KafkaProducer<>(settings);
        // The topic's metadata now: the first send blocks until it has it, which held back the launch's first day.
        kafka.partitionsFor(Topics.PREORDER_REQUESTS);
        this.preorders = ordersUrl.resolve("/api/preorders");
    }

    /** One customer's preorder, through the app's event stream or the REST API, on the given day of the launch curve. */
    Sent place(int customerNumber, boolean viaRest, int launchDay) {
        String requestId = UUID.randomUUID().toString();
        String customerId = "sim-%07d".formatted(customerNumber);
        ObjectNode request = JSON.createObjectNode()
                .put("requestId", requestId)
                .put("customerId", customerId)
                .put("variant", variant())
                .put("exteriorColor", COLORS.get(random.nextInt(COLORS.size())))
                .put("deliveryCity", city())
                .put("deposit", new BigDecimal("5000.00"))
                .put("channel", viaRest ? (random.nextBoolean() ? "WEB" : "STORE") : "APP");
        // A third of the customers choose their options (contract v0.2.0); the others take the defaults.
        if (random.nextInt(3) == 0) {
            request.put("interior", INTERIORS.get(random.nextInt(INTERIORS.size())))
                    .put("wheels", WHEELS.get(random.nextInt(WHEELS.size())));
        }
        Instant at = Instant.now();
        if (viaRest) {
            request.remove("requestId");
            HttpRequest call = HttpRequest.newBuilder(preorders)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", client.authorization())
                    .header("Idempotency-Key", requestId)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                    .build();
            CompletableFuture<Void> answered = new CompletableFuture<>();
            restCalls.add(answered);
            // Waits for a connection on its own thread: a slow API must not hold back the launch curve's app events.
            Thread.ofVirtual().start(() -> {
                restInFlight.acquireUninterruptibly();
                post(call, launchDay, System.nanoTime(), answered);
            });
        } else {
            request.put("requestedAt", at.toString());
            kafka.send(new ProducerRecord<>(Topics.PREORDER_REQUESTS, requestId, JSON.writeValueAsString(request)),
                    (metadata, failure) -> {
                        if (failure != null) {
                            failures.incrementAndGet();
                        }
                    });
        }
        Sent requestSent = new Sent(requestId, customerId, viaRest, launchDay, at);
        sent.add(requestSent);
        return requestSent;
    }

    /**
     * Sends, and sends again after {@code Retry-After} when the service says 429 or 503 (the same Idempotency-Key:
     * one preorder); the latency of an answered request runs from its first send.
     */
    private void post(HttpRequest request, int launchDay, long firstSentNanos, CompletableFuture<Void> answered) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && (response.statusCode() == 429 || response.statusCode() == 503)) {
                rateLimited.incrementAndGet();
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS).execute(() -> post(request, launchDay, firstSentNanos, answered));
                return;
            }
            if (failure != null || response.statusCode() >= 300) {
                failures.incrementAndGet();
            } else {
                restLatency.record(launchDay, Duration.ofNanos(System.nanoTime() - firstSentNanos));
            }
            restInFlight.release();
            answered.complete(null);
        });
    }

    private String city() {
        int pick = random.nextInt(java.util.Arrays.stream(CITY_WEIGHTS).sum());
        for (int i = 0; i < CITY_WEIGHTS.length; i++) {
            pick -= CITY_WEIGHTS[i];
            if (pick < 0) {
                return CITIES.get(i);
            }
        }
        return CITIES.getLast();
    }

    /** The SU7 launch mix: the base model most, the Max next, the Pro least. */
    private String variant() {
        double pick = random.nextDouble();
        return pick < 0.55 ? "SU7" : pick < 0.85 ? "SU7_MAX" : "SU7_PRO";
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    int failures() {
        return failures.get();
    }

    /** REST requests answered 429 and sent again. */
    int rateLimited() {
        return rateLimited.get();
    }

    /** Of the REST requests answered 2xx, complete once {@link #drain} returned. */
    DailyLatencies restLatency() {
        return restLatency;
    }

    /** Waits for the REST calls still in flight. */
    void drain() {
        CompletableFuture.allOf(restCalls.toArray(CompletableFuture[]::new)).join();
        kafka.flush();
    }

    @Override
    public void close() {
        drain();
        kafka.close();
    }

    /** A request sent: its id (the app event's requestId, the REST call's Idempotency-Key), on which day of the curve, when. */
    record Sent(String requestId, String customerId, boolean viaRest, int launchDay, Instant at) {
    }
}
