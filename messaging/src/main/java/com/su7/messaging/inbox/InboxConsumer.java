package com.su7.messaging.inbox;

import com.su7.messaging.deadletter.DeadLetter;
import com.su7.messaging.deadletter.DeadLetterState;
import com.su7.messaging.deadletter.DeadLetterStore;
import com.su7.messaging.deadletter.DeadLetterTopicCopies;
import com.su7.messaging.deadletter.Redrivable;
import com.su7.messaging.deadletter.SetAside;
import com.su7.messaging.tracing.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies a polled batch of one topic exactly once, in order, and commits the database work before the listener
 * returns (and so before the container commits the offsets):
 * <ol>
 *   <li>a record whose key an unresolved dead letter holds is set aside behind it ({@code WAITING}), so no later
 *       event of a preorder overtakes an earlier one;</li>
 *   <li>the rest is decoded and, in one transaction, recorded as processed and applied (only events not seen
 *       before);</li>
 *   <li>if that fails because of an event ({@link PermanentEventException}), the batch is applied one event per
 *       transaction; the event at fault is judged again on a redelivery after a back-off and, at fault again, set
 *       aside ({@code OPEN}) with its reason, and the partition moves on;</li>
 *   <li>what was set aside is stored in the service's database (the dead letter, whatever its size) and copied to
 *       {@code <topic>.DLT}.</li>
 * </ol>
 * Any other failure — the database away or read-only, the registry away, a bug in a handler — is thrown: nothing of
 * the batch is acknowledged, {@link RedeliverAfterBackOff} redelivers it, and after enough failures in a row the
 * consumer's {@link ConsumerCircuit} opens. Records are never acknowledged before they are applied or stored, which
 * avoids the batch pitfalls of {@code BatchListenerFailedException} (spring-kafka #4436, #3297).
 * <p>
 * Each event applied continues the trace its record carries: a span of its wait in the topic, and a span of its
 * application, in which the handler's {@link Received#inItsTrace} runs (see {@link Traces}).
 */
public final class InboxConsumer<E> implements Redrivable {

    private static final Logger log = LoggerFactory.getLogger(InboxConsumer.class);
    private static final int MAX_DESCRIBED_BYTES = 16 * 1024;

    private final String name;
    private final EventDecoder<E> decoder;
    private final Function<E, String> eventIdOf;
    private final Function<E, Instant> eventTimeOf;
    private final BatchEventHandler<E> handler;
    private final ProcessedEvents processedEvents;
    private final TransactionTemplate transactions;
    private final DeadLetterStore deadLetters;
    private final DeadLetterTopicCopies copies;
    private final PartitionsRead partitionsRead;
    private final InboxProperties properties;
    private final MeterRegistry meters;
    private final Traces traces;
    private final ConsumerCircuit circuit;
    private final EventAges ages;
    private final Verdicts verdicts = new Verdicts();

    /** @param eventTimeOf the time an event tells, to note how far each partition is read; null: not noted */
    InboxConsumer(String name, EventDecoder<E> decoder, Function<E, String> eventIdOf, Function<E, Instant> eventTimeOf,
                  BatchEventHandler<E> handler, ProcessedEvents processedEvents, TransactionTemplate transactions,
                  DeadLetterStore deadLetters, DeadLetterTopicCopies copies, PartitionsRead partitionsRead,
                  InboxProperties properties, MeterRegistry meters, Traces traces) {
        this.name = name;
        this.decoder = decoder;
        this.eventIdOf = eventIdOf;
        this.eventTimeOf = eventTimeOf;
        this.handler = handler;
        this.processedEvents = processedEvents;
        this.transactions = transactions;
        this.deadLetters = deadLetters;
        this.copies = copies;
        this.partitionsRead = partitionsRead;
        this.properties = properties;
        this.meters = meters;
        this.traces = traces;
        this.circuit = new ConsumerCircuit(name, properties.circuitOpensAfter(), meters);
        this.ages = new EventAges(name, meters);
    }

    public String name() {
        return name;
    }

    public ConsumerCircuit circuit() {
        return circuit;
    }

    public void process(List<ConsumerRecord<String, byte[]>> records) {
        try {
            processBatch(records, Instant.now());
            circuit.succeeded();
        } catch (RuntimeException failure) {
            circuit.failed(failure);
            throw failure;
        } catch (Error error) {
            // Not the event's fault either (a handler's recursion, memory): thrown as it is, it would stop the listener's
            // container for good (spring-kafka stops a container on an Error), with nothing in the health to say so.
            // As any failure that is not the event's, the batch is redelivered after the back-off, and the circuit counts it.
            ErrorInBatch failure = new ErrorInBatch(name, error);
            log.error("{}: a batch of {} records failed with an Error (redelivered after the back-off)", name, records.size(), error);
            circuit.failed(failure);
            throw failure;
        }
    }

    private void processBatch(List<ConsumerRecord<String, byte[]>> records, Instant polledAt) {
        if (records.isEmpty()) {
            return;
        }
        Set<String> held = new HashSet<>(deadLetters.heldKeys(name,
                records.stream().map(ConsumerRecord::key).filter(Objects::nonNull).distinct().toList()));
        List<Inbound<E>> batch = records.stream().map(this::decode).toList();
        boolean allClear = held.isEmpty() && batch.stream().allMatch(inbound -> inbound.failure() == null);
        String group = KafkaUtils.getConsumerGroupId();
        List<SetAside> setAside = new ArrayList<>();
        RejudgeLater[] rejudge = new RejudgeLater[1];
        int applied = BatchFallback.apply(transactions, batch, allClear, events -> {
            if (events.size() == 1) {
                Inbound<E> inbound = events.getFirst();
                if (inbound.record().key() != null && held.contains(inbound.record().key())) {
                    setAside.add(SetAside.heldBehind(name, group, inbound.record(), Instant.now()));
                    return 0;
                }
                if (inbound.failure() != null) {
                    throw inbound.failure();
                }
            }
            return applyNew(events, polledAt);
        }, (inbound, failure) -> {
            // One verdict could be a fluke: stop here, apply what came before, judge it again after the back-off.
            ConsumerRecord<String, byte[]> record = inbound.record();
            Verdicts.Verdict verdict = verdicts.judged(record);
            if (verdict.attempts() < properties.permanentAfterAttempts()) {
                rejudge[0] = new RejudgeLater(record, verdict.attempts(), failure);
                return false;
            }
            verdicts.forget(record);
            setAside.add(SetAside.refused(name, group, record, failure, verdict.attempts(), verdict.first(), verdict.last()));
            if (record.key() != null) {
                held.add(record.key());
            }
            return true;
        });
        store(setAside);
        count(records.getFirst().topic(), batch.size() - setAside.size(), applied);
        if (rejudge[0] != null) {
            throw rejudge[0];
        }
        noteRead(batch);
    }

    /**
     * Notes the latest event time of each partition of a batch handled to its end (applied, already applied or set
     * aside). After the batch's commits: should it fail, the next batch of the partition notes as much.
     */
    private void noteRead(List<Inbound<E>> batch) {
        if (eventTimeOf == null) {
            return;
        }
        Map<Integer, Instant> latest = new HashMap<>();
        for (Inbound<E> inbound : batch) {
            Instant time = inbound.event() == null ? null : eventTimeOf.apply(inbound.event());
            if (time != null) {
                latest.merge(inbound.record().partition(), time, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        try {
            partitionsRead.note(name, latest);
        } catch (RuntimeException e) {
            log.warn("{}: could not note how far its partitions are read (the next batch does): {}", name, e.getMessage());
        }
    }

    private Inbound<E> decode(ConsumerRecord<String, byte[]> record) {
        try {
            E event = decoder.decode(record);
            String eventId = eventIdOf.apply(event);
            if (eventId == null || eventId.isBlank()) {
                throw new PermanentEventException("event has no event id");
            }
            return new Inbound<>(record, event, eventId, null);
        } catch (RuntimeException failure) {
            if (!Failures.isEventsFault(failure)) {
                throw failure;
            }
            return new Inbound<>(record, null, null, failure);
        } catch (StackOverflowError nested) {
            // The bytes' own doing: a record nested deeper than decoding can follow.
            return new Inbound<>(record, null, null, new PermanentEventException("record nests too deeply to decode", nested));
        }
    }

    private int applyNew(List<Inbound<E>> batch, Instant polledAt) {
        Set<String> fresh = processedEvents.markNew(name, batch.stream().map(Inbound::eventId).distinct().toList());
        List<Received<E>> events = new ArrayList<>(fresh.size());
        List<Instant> occurred = new ArrayList<>(fresh.size());
        for (Inbound<E> inbound : batch) {
            // remove: a duplicate inside the same batch is applied once too
            if (fresh.remove(inbound.eventId())) {
                events.add(new Received<>(inbound.event(), traces.consumed(inbound.record(), name, polledAt)));
                occurred.add(EventAges.occurredAt(inbound.event(), inbound.record()));
            }
        }
        if (events.isEmpty()) {
            return 0;
        }
        Throwable failure = null;
        try {
            handler.apply(events);
            ages.recordAfterCommit(batch.getFirst().record().topic(), occurred);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            for (Received<E> received : events) {
                received.trace().end(failure);
            }
        }
        return events.size();
    }

    private void store(List<SetAside> setAside) {
        for (SetAside aside : setAside) {
            deadLetters.store(aside).ifPresent(letter -> {
                log.warn("{} {} {}-{}@{} (key {}): {}", letter.state() == DeadLetterState.OPEN
                                ? "dead-lettered" : "held behind an earlier dead letter:",
                        name, letter.topic(), letter.partition(), letter.offset(), letter.key(), letter.reason());
                meters.counter("su7.messaging.dead-lettered", "topic", letter.topic(), "consumer", name,
                        "state", letter.state().name(), "reason", simpleName(letter.exceptionClass())).increment();
                // Only the records at fault go to <topic>.DLT; one held behind them is not at fault, and waits in the store.
                if (letter.state() == DeadLetterState.OPEN && copies.copy(letter, aside.failure())) {
                    deadLetters.markPublished(letter.id());
                }
            });
        }
    }

    private void count(String topic, int considered, int applied) {
        meters.counter("su7.messaging.consumed", "topic", topic, "consumer", name).increment(applied);
        meters.counter("su7.messaging.duplicates", "topic", topic, "consumer", name).increment(Math.max(0, considered - applied));
    }

    @Override
    public Outcome reapply(DeadLetter deadLetter) {
        Inbound<E> inbound = decode(deadLetter.toRecord());
        if (inbound.failure() != null) {
            throw inbound.failure();
        }
        int applied = transactions.execute(status -> applyNew(List.of(inbound), Instant.now()));
        return applied == 1 ? Outcome.APPLIED : Outcome.ALREADY_APPLIED;
    }

    @Override
    public Optional<String> describe(DeadLetter deadLetter) {
        if (deadLetter.payload() == null) {
            return Optional.empty();
        }
        try {
            E event = decoder.decode(deadLetter.toRecord());
            if (event instanceof SpecificRecord) {
                return Optional.of(event.toString());
            }
        } catch (RuntimeException undecodable) {
            // shown as text below, if it is text
        }
        byte[] payload = deadLetter.payload();
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(payload, 0, Math.min(payload.length, MAX_DESCRIBED_BYTES))).toString();
            return Optional.of(payload.length > MAX_DESCRIBED_BYTES ? text + "…(%d bytes in all)".formatted(payload.length) : text);
        } catch (CharacterCodingException binary) {
            return Optional.of("%d bytes, neither an event of this consumer nor text".formatted(payload.length));
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private record Inbound<E>(ConsumerRecord<String, byte[]> record, E event, String eventId, RuntimeException failure) {
    }

    /** An Error while a batch was handled, thrown on as an exception, so the batch is redelivered and not the container stopped. */
    static final class ErrorInBatch extends RuntimeException {

        ErrorInBatch(String consumer, Error error) {
            super("%s: %s".formatted(consumer, error), error);
        }
    }

    /** Thrown to have the batch redelivered after the back-off, so an event found at fault is judged once more. */
    static final class RejudgeLater extends RuntimeException {

        RejudgeLater(ConsumerRecord<String, byte[]> record, int attempts, Throwable failure) {
            super("%s-%d@%d found at fault (attempt %d), judged again after the back-off: %s"
                    .formatted(record.topic(), record.partition(), record.offset(), attempts, failure.getMessage()));
        }
    }

    /** How often each record was found at fault, with the first and last time: memory for a record's verdict. */
    private static final class Verdicts {

        private static final int REMEMBERED = 10_000;
        private final Map<String, Verdict> byRecord = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
                return size() > REMEMBERED;
            }
        };

        synchronized Verdict judged(ConsumerRecord<String, byte[]> record) {
            Instant now = Instant.now();
            return byRecord.merge(keyOf(record), new Verdict(1, now, now),
                    (before, ignored) -> new Verdict(before.attempts() + 1, before.first(), now));
        }

        synchronized void forget(ConsumerRecord<String, byte[]> record) {
            byRecord.remove(keyOf(record));
        }

        private static String keyOf(ConsumerRecord<String, byte[]> record) {
            return record.topic() + "-" + record.partition() + "@" + record.offset();
        }

        record Verdict(int attempts, Instant first, Instant last) {
        }
    }
}
