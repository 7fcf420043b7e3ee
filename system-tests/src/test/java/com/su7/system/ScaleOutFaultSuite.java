package com.su7.system;

import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scale-out rehearsal ({@code ./mvnw -Pfaults -pl system-tests verify -Dit.test=ScaleOutFaultSuite}): up to three
 * instances of each service, separate processes on their own ports, in the same consumer groups and on the same
 * databases. First a launch burst of app requests with 1, 2 and 3 instances per service (throughput); then, under the
 * fault suite's steady load with REST spread over the orders instances as a load balancer would, instances leave (a
 * graceful stop, then a SIGKILL) and join again mid-launch. Every preorder of the run is then audited as in the fault
 * suite. Table in {@code target/fault-suite/scale-out.md|json}.
 */
class ScaleOutFaultSuite {

    private static final int BURST = 1000;
    private static final int PREORDERS_PER_SECOND_PER_ENTRY_POINT = 5;
    private static final int BETWEEN_CHANGES = 30;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private static FaultSystem faults;
    private static RunningSystem system;

    /** Instances beyond the first of each service, by service; the first ones are the system's own. */
    private final Map<String, List<ServiceProcess>> extra = new HashMap<>();
    /** The orders instances a load balancer sends REST requests to. */
    private final List<URI> ordersInstances = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextOrders = new AtomicInteger();
    private final List<String> burstCustomers = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startTheSystem() {
        faults = FaultSystem.start(1);
        system = faults.system();
    }

    @AfterAll
    static void stopIt() {
        if (faults != null) {
            faults.close();
        }
    }

    record Throughput(int instances, int preorders, Duration settledIn) {

        double perSecond() {
            return preorders / (settledIn.toMillis() / 1000.0);
        }
    }

    @Test
    void instancesJoinAndLeaveMidLaunchAndEveryPreorderIsPlacedOnceAndScheduledAlike() {
        RunningSystem.SERVICES.forEach(service -> extra.put(service, new ArrayList<>()));
        ordersInstances.add(system.service("orders").baseUri());
        PreorderAudit audit = new PreorderAudit(system, faults.stack().kafkaClientSettings(KafkaPrincipal.ADMIN),
                faults.stack().registryConfluentApiUrl());
        int deadLettersBefore = audit.deadLetters(FaultCases.CONSUMED_TOPICS.keySet());

        List<Throughput> throughput = new ArrayList<>();
        throughput.add(burst(1));
        addInstance("2");
        throughput.add(burst(2));
        addInstance("3");
        throughput.add(burst(3));

        long started = System.nanoTime();
        PreorderLoad load = new PreorderLoad(this::nextOrdersInstance, faults.stack().kafkaClientSettings(KafkaPrincipal.APP.name()),
                PREORDERS_PER_SECOND_PER_ENTRY_POINT);
        try (load) {
            load.cancelSome();
            FaultCases.awaitMore(load, BETWEEN_CHANGES);
            stopInstance("2", false);
            FaultCases.awaitMore(load, BETWEEN_CHANGES);
            stopInstance("3", true);
            FaultCases.awaitMore(load, BETWEEN_CHANGES);
            addInstance("2");
            addInstance("3");
            FaultCases.awaitMore(load, BETWEEN_CHANGES);
            load.stop();
        }
        List<String> customers = new ArrayList<>(burstCustomers);
        customers.addAll(load.appCustomers());
        PreorderAudit.Result result = audit.audit(load.restPreorderIds(), customers, load.cancelledPreorderIds(), Instant.MIN);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        int deadLetters = audit.deadLetters(FaultCases.CONSUMED_TOPICS.keySet()) - deadLettersBefore;

        write(throughput, result, deadLetters, load, took);
        assertThat(result.problems()).as("the audit of every preorder").isEmpty();
        assertThat(result.lost()).isEmpty();
        assertThat(result.duplicated()).isEmpty();
        assertThat(deadLetters).as("records on the dead-letter topics").isZero();
    }

    /**
     * A launch opening: {@value #BURST} app requests at once, and how long until every one is scheduled for delivery
     * in orders-service (placed, built, scheduled: the whole pipeline).
     */
    private Throughput burst(int instances) {
        long settledBefore = FaultCases.settled(system);
        Map<String, Object> settings = new HashMap<>(faults.stack().kafkaClientSettings(KafkaPrincipal.APP.name()));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        long started = System.nanoTime();
        try (KafkaProducer<String, String> app = new KafkaProducer<>(settings)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                String requestId = UUID.randomUUID().toString();
                var request = PreorderLoad.request("scale-%s-%d".formatted(run, instances), i, "APP").put("requestId", requestId);
                acks.add(app.send(new ProducerRecord<>(Topics.PREORDER_REQUESTS, requestId, Api.JSON.writeValueAsString(request))));
                burstCustomers.add(request.path("customerId").asString());
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the app's burst did not reach Kafka", e);
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> FaultCases.settled(system) >= settledBefore + BURST);
        return new Throughput(instances, BURST, Duration.ofNanos(System.nanoTime() - started));
    }

    /** One more instance of every service, started side by side; orders' joins the load balancer once ready. */
    private void addInstance(String instance) {
        Map<String, CompletableFuture<ServiceProcess>> starting = RunningSystem.SERVICES.stream().collect(Collectors.toMap(
                service -> service, service -> CompletableFuture.supplyAsync(() -> system.startAnotherInstance(service, instance))));
        starting.forEach((service, process) -> extra.get(service).add(process.join()));
        ordersInstances.add(instance("orders", instance).baseUri());
    }

    /**
     * Takes an instance of every service away: gracefully (out of the load balancer first, then SIGTERM: it finishes
     * what it has and leaves its groups) or as a crash (SIGKILL; the load balancer notices afterwards, and requests
     * under way there are retried elsewhere).
     */
    private void stopInstance(String instance, boolean crash) {
        URI orders = instance("orders", instance).baseUri();
        if (!crash) {
            ordersInstances.remove(orders);
        }
        for (String service : RunningSystem.SERVICES) {
            ServiceProcess process = instance(service, instance);
            if (crash) {
                process.kill();
            } else {
                process.close();
            }
            extra.get(service).remove(process);
        }
        ordersInstances.remove(orders);
    }

    private ServiceProcess instance(String service, String instance) {
        return extra.get(service).stream().filter(process -> process.name().equals(service + "-service-" + instance)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no instance %s of %s".formatted(instance, service)));
    }

    /** Round robin over the orders instances in the load balancer. */
    private URI nextOrdersInstance() {
        List<URI> instances = List.copyOf(ordersInstances);
        return instances.get(Math.floorMod(nextOrders.getAndIncrement(), instances.size()));
    }

    private static void write(List<Throughput> throughput, PreorderAudit.Result result, int deadLetters, PreorderLoad load, Duration took) {
        StringBuilder markdown = new StringBuilder("""
                # Scale-out rehearsal: up to 3 instances of each service on one machine

                A launch burst of %d app requests, settled (placed, built, scheduled) with n instances of every service. On a
                2-core machine shared by Kafka, PostgreSQL, the registry and up to nine service JVMs, this shows that the
                instances share the work correctly and what coordinating them costs, not a speed-up.

                | instances per service | preorders | settled in (s) | preorders/s |
                |---:|---:|---:|---:|
                """.formatted(BURST));
        throughput.forEach(row -> markdown.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f |%n",
                row.instances(), row.preorders(), FaultReport.seconds(row.settledIn()), row.perSecond())));
        markdown.append(String.format(Locale.ROOT, """

                Then under a steady load (%d preorders a second through REST, spread over the orders instances, and %d through
                app.preorder-requests; one REST customer in %d cancels): instance 2 of every service stopped gracefully, instance 3
                SIGKILLed, both started again; every preorder of the run (bursts included) audited afterwards.

                | preorders | lost | duplicated | redelivered | cancelled | DLT records | failed requests | max REST latency (ms) | took (s) |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|
                | %d | %d | %d | %d | %d | %d | %d | %d | %.1f |
                """, PREORDERS_PER_SECOND_PER_ENTRY_POINT, PREORDERS_PER_SECOND_PER_ENTRY_POINT, PreorderLoad.CANCELLING_ONE_IN,
                result.preorders(), result.lost().size(), result.duplicated().size(), result.redelivered(), result.cancelled(),
                deadLetters, load.failedAttempts(), load.maxRestLatency().toMillis(), FaultReport.seconds(took)));
        String json = String.format(Locale.ROOT, """
                {"throughput": [%s],
                 "rehearsal": {"preorders": %d, "lost": %d, "duplicated": %d, "redelivered": %d, "cancelled": %d, "deadLetters": %d, \
                "failedRequests": %d, "maxRestLatencyMs": %d, "tookSeconds": %.1f}}
                """, throughput.stream().map(row -> String.format(Locale.ROOT,
                        "{\"instances\": %d, \"preorders\": %d, \"settledInSeconds\": %.1f, \"perSecond\": %.1f}",
                        row.instances(), row.preorders(), FaultReport.seconds(row.settledIn()), row.perSecond()))
                        .collect(Collectors.joining(", ")),
                result.preorders(), result.lost().size(), result.duplicated().size(), result.redelivered(), result.cancelled(),
                deadLetters, load.failedAttempts(), load.maxRestLatency().toMillis(), FaultReport.seconds(took));
        FaultReport.write("scale-out", markdown.toString(), json);
    }
}
