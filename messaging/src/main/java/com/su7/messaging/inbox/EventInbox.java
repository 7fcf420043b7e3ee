package com.su7.messaging.inbox;

import com.su7.messaging.correlation.Correlation;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies a batch of records exactly once per consumer, in order, and commits the database work before the
 * listener returns (and so before the container commits the offsets):
 * <ol>
 *   <li>decode each record; one that can never be decoded is set aside for the dead-letter topic;</li>
 *   <li>in one transaction, record the event ids as processed and apply only those not seen before;</li>
 *   <li>if that transaction fails because of one event, apply the batch one event per transaction, so only
 *       the bad event is set aside;</li>
 *   <li>send what was set aside to {@code <topic>.DLT}, awaited, with the reason.</li>
 * </ol>
 * A failure of the infrastructure (database, registry, Kafka away) is thrown: nothing of the batch is
 * acknowledged, and {@link RedeliverAfterBackOff} redelivers it all after a back-off. Records are never
 * acknowledged before they are applied or dead-lettered, which avoids the batch pitfalls of
 * {@code BatchListenerFailedException} (spring-kafka #4436, #3297).
 */
public final class EventInbox {

    private final ProcessedEvents processedEvents;
    private final TransactionTemplate transactions;
    private final DeadLetters deadLetters;
    private final AvroEventDecoder avro;
    private final MeterRegistry meters;

    public EventInbox(ProcessedEvents processedEvents, TransactionTemplate transactions, DeadLetters deadLetters,
                      AvroEventDecoder avro, MeterRegistry meters) {
        this.processedEvents = processedEvents;
        this.transactions = transactions;
        this.deadLetters = deadLetters;
        this.avro = avro;
        this.meters = meters;
    }

    /** For Avro events: decodes with the registry, deduplicates on the event's id. */
    public <E extends SpecificRecord> void process(String consumer, List<ConsumerRecord<String, byte[]>> records,
                                                   Class<E> type, Function<E, String> eventIdOf, EventHandler<E> handler) {
        process(consumer, records, avro.of(type), eventIdOf, handler);
    }

    public <E> void process(String consumer, List<ConsumerRecord<String, byte[]>> records, EventDecoder<E> decoder,
                            Function<E, String> eventIdOf, EventHandler<E> handler) {
        processAll(consumer, records, decoder, eventIdOf,
                events -> events.forEach(received -> received.inItsCorrelation(() -> handler.apply(received.event()))));
    }

    /** For Avro events, applied set-based: the new events of each batch in one call. */
    public <E extends SpecificRecord> void processAll(String consumer, List<ConsumerRecord<String, byte[]>> records,
                                                      Class<E> type, Function<E, String> eventIdOf, BatchEventHandler<E> handler) {
        processAll(consumer, records, avro.of(type), eventIdOf, handler);
    }

    /** Applies the new events of the batch with one call of the handler, with the same guarantees as one per event. */
    public <E> void processAll(String consumer, List<ConsumerRecord<String, byte[]>> records, EventDecoder<E> decoder,
                               Function<E, String> eventIdOf, BatchEventHandler<E> handler) {
        List<Inbound<E>> decoded = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                E event = decoder.decode(record);
                String eventId = eventIdOf.apply(event);
                if (eventId == null || eventId.isBlank()) {
                    throw new PermanentEventException("event has no event id");
                }
                decoded.add(new Inbound<>(record, event, eventId));
            } catch (RuntimeException failure) {
                rejectOrRethrow(record, failure, rejected);
            }
        }

        int rejectedUndecoded = rejected.size();
        int applied;
        try {
            applied = transactions.execute(status -> applyNew(consumer, decoded, handler));
        } catch (RuntimeException failure) {
            if (Failures.isTransient(failure)) {
                throw failure;
            }
            applied = applyOneByOne(consumer, decoded, handler, rejected);
        }

        for (Rejected reject : rejected) {
            deadLetters.send(reject.record(), reject.reason(), consumer);
        }
        String topic = records.isEmpty() ? "none" : records.getFirst().topic();
        meters.counter("su7.messaging.consumed", "topic", topic, "consumer", consumer).increment(applied);
        int rejectedOnApply = rejected.size() - rejectedUndecoded;
        meters.counter("su7.messaging.duplicates", "topic", topic, "consumer", consumer)
                .increment(decoded.size() - applied - rejectedOnApply);
    }

    private <E> int applyNew(String consumer, List<Inbound<E>> batch, BatchEventHandler<E> handler) {
        Set<String> fresh = processedEvents.markNew(consumer, batch.stream().map(Inbound::eventId).distinct().toList());
        List<Received<E>> events = new ArrayList<>(fresh.size());
        for (Inbound<E> inbound : batch) {
            // remove: a duplicate inside the same batch is applied once too
            if (fresh.remove(inbound.eventId())) {
                events.add(new Received<>(inbound.event(), inbound.correlationId()));
            }
        }
        if (!events.isEmpty()) {
            handler.apply(events);
        }
        return events.size();
    }

    private <E> int applyOneByOne(String consumer, List<Inbound<E>> batch, BatchEventHandler<E> handler, List<Rejected> rejected) {
        int applied = 0;
        for (Inbound<E> inbound : batch) {
            try {
                applied += transactions.execute(status -> applyNew(consumer, List.of(inbound), handler));
            } catch (RuntimeException failure) {
                rejectOrRethrow(inbound.record(), failure, rejected);
            }
        }
        return applied;
    }

    private static void rejectOrRethrow(ConsumerRecord<String, byte[]> record, RuntimeException failure, List<Rejected> rejected) {
        if (Failures.isTransient(failure)) {
            throw failure;
        }
        rejected.add(new Rejected(record, failure));
    }

    private record Inbound<E>(ConsumerRecord<String, byte[]> record, E event, String eventId) {

        String correlationId() {
            Header header = record.headers().lastHeader(Correlation.HEADER);
            return header == null ? null : Correlation.fromHeader(header.value());
        }
    }

    private record Rejected(ConsumerRecord<String, byte[]> record, Exception reason) {
    }
}
