package com.su7.messaging.inbox;

import com.su7.messaging.deadletter.DeadLetterStore;
import com.su7.messaging.deadletter.DeadLetterTopicCopies;
import com.su7.messaging.deadletter.Redrivable;
import com.su7.messaging.tracing.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where a service declares its consumers: each one applies its topic's events exactly once, in order, set-based,
 * with dead letters kept by the service (see {@link InboxConsumer}). A listener creates its consumer once, under
 * the listener's id, and hands it every polled batch. The inbox knows its consumers by name, so ops can redrive
 * a dead letter through the consumer that refused it.
 */
public final class EventInbox implements Redrivable.Consumers {

    private final ProcessedEvents processedEvents;
    private final TransactionTemplate transactions;
    private final DeadLetterStore deadLetters;
    private final DeadLetterTopicCopies copies;
    private final AvroEventDecoder avro;
    private final InboxProperties properties;
    private final MeterRegistry meters;
    private final Traces traces;
    private final PartitionsRead partitionsRead;
    private final Map<String, InboxConsumer<?>> consumers = new ConcurrentHashMap<>();

    public EventInbox(ProcessedEvents processedEvents, TransactionTemplate transactions, DeadLetterStore deadLetters,
                      DeadLetterTopicCopies copies, AvroEventDecoder avro, InboxProperties properties, MeterRegistry meters,
                      Traces traces, PartitionsRead partitionsRead) {
        this.processedEvents = processedEvents;
        this.transactions = transactions;
        this.deadLetters = deadLetters;
        this.copies = copies;
        this.avro = avro;
        this.properties = properties;
        this.meters = meters;
        this.traces = traces;
        this.partitionsRead = partitionsRead;
    }

    /** A consumer of Avro events: decoded with the registry, deduplicated on the event's id. */
    public <E extends SpecificRecord> InboxConsumer<E> consumer(String name, Class<E> type, Function<E, String> eventIdOf,
                                                                BatchEventHandler<E> handler) {
        return consumer(name, avro.of(type), eventIdOf, handler);
    }

    /**
     * A consumer of Avro events that also notes how far it has read each partition, in the time {@code eventTimeOf}
     * tells ({@link #everyPartitionReadUpTo}).
     */
    public <E extends SpecificRecord> InboxConsumer<E> consumer(String name, Class<E> type, Function<E, String> eventIdOf,
                                                                Function<E, Instant> eventTimeOf, BatchEventHandler<E> handler) {
        return register(new InboxConsumer<>(name, avro.of(type), eventIdOf, eventTimeOf, handler, processedEvents, transactions,
                deadLetters, copies, partitionsRead, properties, meters, traces));
    }

    /**
     * A consumer named after its listener's id (which is also its consumer group): the name keys its record of
     * processed events, its dead letters and its circuit.
     */
    public <E> InboxConsumer<E> consumer(String name, EventDecoder<E> decoder, Function<E, String> eventIdOf,
                                         BatchEventHandler<E> handler) {
        return register(new InboxConsumer<>(name, decoder, eventIdOf, null, handler, processedEvents, transactions,
                deadLetters, copies, partitionsRead, properties, meters, traces));
    }

    private <E> InboxConsumer<E> register(InboxConsumer<E> consumer) {
        if (consumers.putIfAbsent(consumer.name(), consumer) != null) {
            throw new IllegalStateException("two consumers are named " + consumer.name() + "; each listener needs its own");
        }
        return consumer;
    }

    /**
     * The event time up to which the named consumer (one that notes it) has read every partition of its topic
     * ({@link PartitionsRead}): every event before it has been handled. Empty before any.
     */
    public Optional<Instant> everyPartitionReadUpTo(String consumer) {
        return partitionsRead.everyPartitionReadUpTo(consumer);
    }

    public Collection<InboxConsumer<?>> consumers() {
        return List.copyOf(consumers.values());
    }

    @Override
    public Optional<Redrivable> consumer(String name) {
        return Optional.ofNullable(consumers.get(name));
    }
}
