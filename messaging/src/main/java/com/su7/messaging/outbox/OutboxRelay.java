package com.su7.messaging.outbox;

import com.su7.messaging.correlation.Correlation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes recorded outbox events to Kafka in id order, a batch per transaction: lock the oldest rows, send
 * them all with the idempotent producer ({@code acks=all}), wait until Kafka has acknowledged every one, delete
 * them, commit. A crash before the commit leaves the rows to be sent again (consumers deduplicate on the event
 * id); nothing is deleted before Kafka has it. One relay per database is active at a time (an advisory lock),
 * so per-key order holds even with several instances of a service.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Arbitrary but fixed: the advisory lock that makes one relay per database active. */
    private static final long RELAY_LOCK = 7_420_001L;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, Object> kafka;
    private final OutboxProperties properties;
    private final Semaphore work = new Semaphore(0);
    private final Map<String, SpecificDatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();
    private final Counter failures;
    private final Timer batchTime;
    private final MeterRegistry meters;
    private final AtomicLong backlog = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, KafkaTemplate<String, Object> kafka,
                       OutboxProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.properties = properties;
        this.meters = meters;
        this.failures = meters.counter("su7.outbox.failures");
        this.batchTime = meters.timer("su7.outbox.batch");
        meters.gauge("su7.outbox.backlog", backlog);
    }

    /** Called after a transaction that recorded events commits, so they go out without waiting for the poll. */
    void wakeUp() {
        if (work.availablePermits() == 0) {
            work.release();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon(false).start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        work.release();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the listener containers and stops after them, so what their last batches recorded goes out. */
    @Override
    public int getPhase() {
        return 0;
    }

    private void run() {
        Duration backOff = properties.failureBackOff();
        while (running) {
            try {
                int published = publishBatch();
                backOff = properties.failureBackOff();
                if (published < properties.batchSize()) {
                    work.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("outbox relay failed, retrying in {}: {}", backOff, e.toString());
                try {
                    work.tryAcquire(backOff.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backOff = backOff.multipliedBy(2).compareTo(properties.maxFailureBackOff()) > 0
                        ? properties.maxFailureBackOff() : backOff.multipliedBy(2);
            }
        }
    }

    /** Publishes the oldest recorded events; returns how many. */
    int publishBatch() {
        Integer published = transactions.execute(status -> {
            Boolean leader = jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, RELAY_LOCK);
            if (!Boolean.TRUE.equals(leader)) {
                return 0;
            }
            List<Row> rows = jdbc.query("""
                            select id, topic, message_key, event_type, payload, correlation_id
                            from outbox_event order by id limit ?""",
                    (resultSet, index) -> new Row(resultSet.getLong(1), resultSet.getString(2), resultSet.getString(3),
                            resultSet.getString(4), resultSet.getBytes(5), resultSet.getString(6)),
                    properties.batchSize());
            if (rows.isEmpty()) {
                backlog.set(0);
                return 0;
            }
            Timer.Sample sample = Timer.start();
            List<CompletableFuture<SendResult<String, Object>>> sends = new ArrayList<>(rows.size());
            for (Row row : rows) {
                ProducerRecord<String, Object> record = new ProducerRecord<>(row.topic(), row.key(), decode(row));
                if (row.correlationId() != null) {
                    record.headers().add(Correlation.HEADER, row.correlationId().getBytes(StandardCharsets.UTF_8));
                }
                sends.add(kafka.send(record));
            }
            kafka.flush();
            // Every send acknowledged (acks=all) before any row is deleted; one failure rolls the batch back.
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .orTimeout(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS).join();
            jdbc.update("delete from outbox_event where id = any(?)", (Object) rows.stream().map(Row::id).toArray(Long[]::new));
            sample.stop(batchTime);
            rows.stream().collect(java.util.stream.Collectors.groupingBy(Row::topic, java.util.stream.Collectors.counting()))
                    .forEach((topic, count) -> meters.counter("su7.outbox.published", "topic", topic).increment(count));
            backlog.set(rows.size() == properties.batchSize() ? currentBacklog() : 0);
            return rows.size();
        });
        return published == null ? 0 : published;
    }

    private long currentBacklog() {
        Long count = jdbc.queryForObject("select count(*) from outbox_event", Long.class);
        return count == null ? 0 : count;
    }

    private SpecificRecord decode(Row row) {
        SpecificDatumReader<SpecificRecord> reader = readers.computeIfAbsent(row.type(), type -> {
            try {
                Schema schema = SpecificData.get().getSchema(Class.forName(type));
                return new SpecificDatumReader<>(schema);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("outbox row %d holds unknown event type %s".formatted(row.id(), type), e);
            }
        });
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(row.payload(), null));
        } catch (IOException e) {
            throw new UncheckedIOException("outbox row %d cannot be decoded as %s".formatted(row.id(), row.type()), e);
        }
    }

    private record Row(long id, String topic, String key, String type, byte[] payload, String correlationId) {
    }
}
