package com.su7.messaging.outbox;

import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.messaging.tracing.TraceHeaders;
import com.su7.messaging.tracing.Traces;
import io.micrometer.tracing.Span;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Publishes recorded outbox events to Kafka in id order, a batch per transaction: lock the oldest rows, send
 * them all with the idempotent producer ({@code acks=all}), wait until Kafka has acknowledged every one, delete
 * them, commit. A crash before the commit leaves the rows to be sent again (consumers deduplicate on the event
 * id); nothing is deleted before Kafka has it. One relay per database is active at a time (an advisory lock),
 * so per-key order holds even with several instances of a service.
 * <p>
 * A row goes out as it was written: its payload behind the Confluent wire header with its writer's schema id, never
 * decoded and re-encoded with the class this build has. A row that cannot be sent for what it is (larger than Kafka
 * takes, a writer the registry does not hold) is set aside with its reason and holds its key's later rows
 * ({@link SetAsideRows}); the other keys go on. Everything else that fails (Kafka, the registry, the database) is
 * retried with the batch.
 * <p>
 * Each record continues the trace its row kept: a span {@code outbox <topic>} from the row's write to Kafka's
 * acknowledgement (the wait in the outbox), whose context the record carries in its {@code traceparent} header. A row
 * of an earlier release, which kept only a caller's correlation id, goes out with that id in its header.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /**
     * Arbitrary but fixed for good: the advisory lock that makes one relay per database active, across releases too
     * (two releases' relays must exclude each other in a rolling upgrade; the rehearsal in system-tests takes it).
     */
    public static final long RELAY_LOCK = 7_420_001L;
    private static final byte MAGIC_BYTE = 0;
    /** What a record costs beyond its key and value in a request (headers, batch and record overhead), generously. */
    private static final int RECORD_OVERHEAD = 1024;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final OutboxProperties properties;
    private final LegacyWriters legacyWriters;
    private final int maxRequestSize;
    private final Semaphore work = new Semaphore(0);
    private final Counter failures;
    private final Timer batchTime;
    private final MeterRegistry meters;
    private final Traces traces;
    private final AtomicReference<Failing> failing = new AtomicReference<>();
    private volatile boolean running;
    private Thread thread;

    /** {@code kafka} sends values as they are (byte arrays); {@code maxRequestSize} is its producer's. */
    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, KafkaTemplate<String, byte[]> kafka,
                       OutboxProperties properties, ConfluentRegistryClient registry, int maxRequestSize, MeterRegistry meters,
                       Traces traces) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.properties = properties;
        this.legacyWriters = new LegacyWriters(registry, new FirstReleaseSchemas());
        this.maxRequestSize = maxRequestSize;
        this.meters = meters;
        this.traces = traces;
        this.failures = meters.counter("su7.outbox.failures");
        this.batchTime = meters.timer("su7.outbox.batch");
    }

    /** Since when the relay has failed without a success in between, and the last failure; null while it works. */
    public record Failing(Instant since, int attempts, String lastFailure) {
    }

    public Failing failing() {
        return failing.get();
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
                failing.set(null);
                backOff = properties.failureBackOff();
                if (published < properties.batchSize()) {
                    work.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // An Error too: the thread would end, and nothing would be published again until a restart.
                failures.increment();
                failing.updateAndGet(before -> before == null ? new Failing(Instant.now(), 1, e.toString())
                        : new Failing(before.since(), before.attempts() + 1, e.toString()));
                if (e instanceof Error) {
                    log.error("outbox relay failed, retrying in {}", backOff, e);
                } else {
                    log.warn("outbox relay failed, retrying in {}: {}", backOff, e.toString());
                }
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

    /** Publishes the oldest recorded events that are not held; returns how many. */
    int publishBatch() {
        Integer published = transactions.execute(status -> {
            Boolean leader = jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, RELAY_LOCK);
            if (!Boolean.TRUE.equals(leader)) {
                return 0;
            }
            // By index, never by scan: analyzed between bursts, the table looks empty to the planner while it holds
            // tens of thousands of dead rows, and a scan for each delete then cost 150 ms a batch (pipeline benchmark).
            jdbc.execute("set local enable_seqscan = off");
            adoptRowsOfThePreviousRelease();
            List<Row> rows = nextRows();
            if (rows.isEmpty()) {
                return 0;
            }
            Timer.Sample sample = Timer.start();
            Set<HeldKey> heldKeys = new HashSet<>();
            List<Sent> sends = new ArrayList<>(rows.size());
            for (Row row : rows) {
                if (heldKeys.contains(row.heldKey())) {
                    continue;
                }
                String unsendable = send(row, sends);
                if (unsendable != null) {
                    setAside(row, unsendable);
                    heldKeys.add(row.heldKey());
                }
            }
            kafka.flush();
            Set<Long> delivered = awaitAcknowledgements(sends);
            jdbc.update("delete from outbox_message where id = any(?)", (Object) delivered.toArray(Long[]::new));
            sample.stop(batchTime);
            sends.stream().filter(sent -> delivered.contains(sent.row().id()))
                    .collect(Collectors.groupingBy(sent -> sent.row().topic(), Collectors.counting()))
                    .forEach((topic, count) -> meters.counter("su7.outbox.published", "topic", topic).increment(count));
            return delivered.size();
        });
        return published == null ? 0 : published;
    }

    /**
     * The oldest rows not set aside and not behind one of their key that is. Keys are held rarely, so the usual
     * case is a plain read in id order; an anti-join on every read cost 35 s a batch once a burst had outgrown the
     * table's statistics (the planner, believing it empty, scanned it for each row).
     */
    private List<Row> nextRows() {
        List<SetAsideKey> held = jdbc.query("select topic, message_key, min(id) from outbox_message where set_aside_at is not null group by 1, 2",
                (resultSet, index) -> new SetAsideKey(resultSet.getString(1), resultSet.getString(2), resultSet.getLong(3)));
        String select = "select id, topic, message_key, schema_id, legacy_type, payload, traceparent, correlation_id, created_at "
                + "from outbox_message m where set_aside_at is null %s order by id limit ?";
        RowMapper<Row> row = (resultSet, index) -> new Row(resultSet.getLong(1), resultSet.getString(2), resultSet.getString(3),
                (Integer) resultSet.getObject(4), resultSet.getString(5), resultSet.getBytes(6), resultSet.getString(7),
                resultSet.getString(8), resultSet.getTimestamp(9).toInstant());
        if (held.isEmpty()) {
            return jdbc.query(select.formatted(""), row, properties.batchSize());
        }
        return jdbc.query(select.formatted("""
                        and not exists (select 1 from unnest(?::text[], ?::text[], ?::bigint[]) as h(topic, message_key, id)
                                        where h.topic = m.topic and h.message_key = m.message_key and h.id < m.id)"""), row,
                held.stream().map(SetAsideKey::topic).toArray(String[]::new), held.stream().map(SetAsideKey::key).toArray(String[]::new),
                held.stream().map(SetAsideKey::since).toArray(Long[]::new), properties.batchSize());
    }

    /**
     * Rows of release v0.1.0 (its {@code outbox_event}, left by a crash, a slow Kafka or an instance still running in
     * a rolling upgrade) join the line, in their order, and are sent as that release wrote them.
     */
    private void adoptRowsOfThePreviousRelease() {
        int adopted = jdbc.update("""
                with moved as (delete from outbox_event where id in (select id from outbox_event order by id limit ?) returning *)
                insert into outbox_message (topic, message_key, legacy_type, payload, correlation_id, created_at)
                select topic, message_key, event_type, payload, correlation_id, created_at from moved order by id""",
                properties.batchSize());
        if (adopted > 0) {
            log.info("{} outbox rows of the previous release joined the line", adopted);
        }
    }

    /** Sends the row as written, or says why it cannot be sent. */
    private String send(Row row, List<Sent> sends) {
        OptionalInt writer = row.schemaId() != null ? OptionalInt.of(row.schemaId()) : legacyWriters.idOf(row.legacyType(), row.topic());
        if (writer.isEmpty()) {
            return "written by release v0.1.0 as %s, whose schema the registry does not hold under %s-value"
                    .formatted(row.legacyType(), row.topic());
        }
        byte[] value = ByteBuffer.allocate(5 + row.payload().length).put(MAGIC_BYTE).putInt(writer.getAsInt()).put(row.payload()).array();
        int size = value.length + row.key().getBytes(StandardCharsets.UTF_8).length + RECORD_OVERHEAD;
        if (size > maxRequestSize) {
            return "the record is %d bytes, larger than the %d bytes of the producer's max.request.size".formatted(size, maxRequestSize);
        }
        RecordHeaders headers = new RecordHeaders();
        if (row.correlationId() != null) {
            headers.add(TraceHeaders.CORRELATION_ID, row.correlationId().getBytes(StandardCharsets.UTF_8));
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), null, row.key(), value, headers);
        Span span = traces.outbox(row.topic(), row.key(), row.traceparent(), row.createdAt());
        if (span != null) {
            traces.inject(span, record);
        }
        sends.add(new Sent(row, kafka.send(record), span));
        return null;
    }

    /**
     * Waits for every send; returns the rows Kafka has. A record Kafka refuses for its size is set aside; any other
     * failure fails the batch (rolled back, sent again: consumers deduplicate).
     */
    private Set<Long> awaitAcknowledgements(List<Sent> sends) {
        try {
            CompletableFuture.allOf(sends.stream().map(Sent::result).toArray(CompletableFuture[]::new))
                    .get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException someFailed) {
            // Inspected one by one below: allOf completes only once every send has.
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka acknowledged no batch within " + properties.sendTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
        Set<Long> delivered = new HashSet<>(sends.size());
        for (Sent sent : sends) {
            if (!sent.result().isCompletedExceptionally()) {
                delivered.add(sent.row().id());
                sent.ended(null);
                continue;
            }
            Throwable failure = sent.result().exceptionNow();
            sent.ended(failure);
            if (causedBy(failure, RecordTooLargeException.class)) {
                setAside(sent.row(), "Kafka refused the record: " + rootMessage(failure));
            } else {
                throw new IllegalStateException("Kafka did not take outbox row %d: %s".formatted(sent.row().id(), rootMessage(failure)), failure);
            }
        }
        return delivered;
    }

    private void setAside(Row row, String reason) {
        jdbc.update("update outbox_message set set_aside_at = now(), set_aside_reason = ? where id = ?", reason, row.id());
        meters.counter("su7.outbox.set-aside", "topic", row.topic()).increment();
        log.error("outbox row {} ({} key {}) set aside, holding its key's later rows until ops retry or discard it: {}",
                row.id(), row.topic(), row.key(), reason);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private record Row(long id, String topic, String key, Integer schemaId, String legacyType, byte[] payload,
                       String traceparent, String correlationId, Instant createdAt) {

        HeldKey heldKey() {
            return new HeldKey(topic, key);
        }
    }

    private record HeldKey(String topic, String key) {
    }

    /** A key whose rows from {@code since} (the id of its oldest row set aside) on wait. */
    private record SetAsideKey(String topic, String key, long since) {
    }

    /** A row handed to the producer, with its span in the outbox (null for a row without a trace). */
    private record Sent(Row row, CompletableFuture<SendResult<String, byte[]>> result, Span span) {

        void ended(Throwable failure) {
            if (span != null) {
                if (failure != null) {
                    span.error(failure);
                }
                span.end();
            }
        }
    }
}
