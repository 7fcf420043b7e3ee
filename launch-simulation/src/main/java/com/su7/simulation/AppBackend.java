package com.su7.simulation;

import com.su7.contract.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
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
import java.util.HashMap;
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

/** Plays the car app's backend: preorder requests as JSON app events on Kafka, and through the REST API. */
final class AppBackend implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Where customers want their car, weighted like the delivery network was sized (its default daily capacities). */
    private static final List<String> CITIES = List.of("Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu",
            "Hangzhou", "Wuhan", "Chongqing", "Nanjing", "Suzhou", "Xi'an", "Tianjin");
    private static final int[] CITY_WEIGHTS = {220, 220, 160, 160, 120, 110, 100, 100, 90, 80, 80, 60};
    private static final List<String> COLORS = List.of("Aqua Blue", "Olivine Grey", "Verde Green", "Mineral Grey",
            "Pearl White", "Diamond Black", "Lava Orange", "Elegant Purple", "Sunset Yellow");

    private final KafkaProducer<String, String> kafka;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI preorders;
    private final SimulationOptions.AppClient client;
    private final Semaphore restInFlight = new Semaphore(64);
    private final Random random = new Random(20240328);
    private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failures = new AtomicInteger();

    AppBackend(String bootstrapServers, URI ordersUrl, SimulationOptions.AppClient client) {
        this.client = client;
        Map<String, Object> settings = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        if (!client.kafkaPassword().isBlank()) {
            // The app's own Kafka user, whose ACLs let it write preorder requests and nothing else.
            settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            settings.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            settings.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"%s\" password=\"%s\";".formatted(client.kafkaUsername(), client.kafkaPassword()));
        }
        this.kafka = new KafkaProducer<>(settings);
        this.preorders = ordersUrl.resolve("/api/preorders");
    }

    /** One customer's preorder, through the app's event stream or the REST API. */
    void place(int customerNumber, boolean viaRest) {
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
        Instant at = Instant.now();
        if (viaRest) {
            request.remove("requestId");
            restInFlight.acquireUninterruptibly();
            post(HttpRequest.newBuilder(preorders)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", client.authorization())
                    .header("Idempotency-Key", requestId)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                    .build());
        } else {
            request.put("requestedAt", at.toString());
            kafka.send(new ProducerRecord<>(Topics.PREORDER_REQUESTS, requestId, JSON.writeValueAsString(request)),
                    (metadata, failure) -> {
                        if (failure != null) {
                            failures.incrementAndGet();
                        }
                    });
        }
        sent.add(new Sent(customerId, viaRest, at));
    }

    /** Sends, and sends again after {@code Retry-After} when the service says 429 (the same Idempotency-Key: one preorder). */
    private void post(HttpRequest request) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() == 429) {
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS).execute(() -> post(request));
                return;
            }
            restInFlight.release();
            if (failure != null || response.statusCode() >= 300) {
                failures.incrementAndGet();
            }
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

    /** Waits for the REST calls still in flight. */
    void drain() {
        restInFlight.acquireUninterruptibly(64);
        restInFlight.release(64);
        kafka.flush();
    }

    @Override
    public void close() {
        drain();
        kafka.close();
    }

    record Sent(String customerId, boolean viaRest, Instant at) {
    }
}
