package com.su7.messaging.outbox;

import com.su7.contract.EventSchemas;
import com.su7.messaging.registry.SchemaRegistration;
import com.su7.messaging.tracing.Traces;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Records events in the transaction that changes the state they describe; {@link OutboxRelay} publishes them
 * after the commit. Events recorded in one transaction are written with one JDBC batch just before it commits.
 * Each row keeps the registry id of the schema it was written with (registered at start-up), so whichever
 * version's relay sends it, it goes out as written. Each row also keeps the trace it was recorded in (the current
 * span's W3C traceparent, and a caller's correlation id), so the record the relay sends continues that trace.
 */
public final class Outbox {

    private final JdbcTemplate jdbc;
    private final OutboxRelay relay;
    private final Traces traces;
    private final Map<String, Writer> writers;

    public Outbox(JdbcTemplate jdbc, OutboxRelay relay, SchemaRegistration registration, Traces traces) {
        this.jdbc = jdbc;
        this.relay = relay;
        this.traces = traces;
        Map<String, Integer> ids = registration.registeredIds();
        this.writers = EventSchemas.ALL.stream().filter(schema -> ids.containsKey(schema.subject()))
                .collect(Collectors.toUnmodifiableMap(schema -> schema.topic().name(),
                        schema -> new Writer(schema.schema(), ids.get(schema.subject()), new SpecificDatumWriter<>(schema.schema()))));
    }

    /**
     * The schema this service writes a topic's events with, its registry id, and its encoder (stateless between
     * writes, so shared by all threads: building one per event cost more than the encoding).
     */
    private record Writer(Schema schema, int schemaId, DatumWriter<SpecificRecord> datumWriter) {

        byte[] encode(SpecificRecord event) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            // Unbuffered: an event is a few hundred bytes, written once into an array.
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            try {
                datumWriter.write(event, encoder);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode " + schema.getFullName(), e);
            }
            return bytes.toByteArray();
        }
    }

    /** An event and the id of the aggregate it is about, its key on the topic. */
    public record Keyed(String key, SpecificRecord event) {
    }

    /** Records the event for the topic, keyed by the aggregate id. Must run inside a transaction. */
    public void record(String topic, String key, SpecificRecord event) {
        recordAll(topic, List.of(new Keyed(key, event)));
    }

    /**
     * Records the events for the topic, each keyed by its aggregate id, in their order; they share the current trace
     * (read once). Must run inside a transaction.
     */
    public void recordAll(String topic, List<Keyed> events) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("an outbox event for %s must be recorded in the transaction that changes the state (none is active)"
                    .formatted(topic));
        }
        Writer writer = writers.get(topic);
        for (Keyed keyed : events) {
            if (writer == null || !writer.schema().equals(keyed.event().getSchema())) {
                throw new IllegalStateException("%s is not the event this service registered for %s (su7.messaging.produces): %s"
                        .formatted(keyed.event().getSchema().getFullName(), topic, writer == null ? "none" : writer.schema().getFullName()));
            }
        }
        if (events.isEmpty()) {
            return;
        }
        String traceparent = traces.currentTraceparent();
        String correlationId = traces.currentCorrelationId();
        List<Pending> pending = pendingInThisTransaction();
        for (Keyed keyed : events) {
            pending.add(new Pending(topic, keyed.key(), writer.schemaId(), writer.encode(keyed.event()), traceparent, correlationId));
        }
    }

    private List<Pending> pendingInThisTransaction() {
        @SuppressWarnings("unchecked")
        List<Pending> pending = (List<Pending>) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            List<Pending> created = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(this, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    write(created);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
                    if (status == STATUS_COMMITTED) {
                        relay.wakeUp();
                    }
                }
            });
            return created;
        }
        return pending;
    }

    private void write(List<Pending> pending) {
        if (pending.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into outbox_message (topic, message_key, schema_id, payload, traceparent, correlation_id) values (?, ?, ?, ?, ?, ?)",
                pending, pending.size(), (statement, event) -> {
                    statement.setString(1, event.topic());
                    statement.setString(2, event.key());
                    statement.setInt(3, event.schemaId());
                    statement.setBytes(4, event.payload());
                    statement.setString(5, event.traceparent());
                    statement.setString(6, event.correlationId());
                });
        pending.clear();
    }

    private record Pending(String topic, String key, int schemaId, byte[] payload, String traceparent, String correlationId) {
    }
}
