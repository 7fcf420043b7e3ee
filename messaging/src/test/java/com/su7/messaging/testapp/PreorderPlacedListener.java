package com.su7.messaging.testapp;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import com.su7.messaging.inbox.PermanentEventException;
import com.su7.messaging.outbox.Outbox;
import com.su7.messaging.tracing.Traces;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class PreorderPlacedListener {

    static final String CONSUMER = "messaging-tests.preorder-placed";
    /** A colour the listener refuses, to prove a rule-breaking event is dead-lettered alone. */
    static final String REFUSED_COLOR = "Refused Red";

    private final JdbcTemplate jdbc;
    private final Outbox outbox;
    private final HandlerFaults faults;
    private final Traces traces;
    private final InboxConsumer<PreorderPlaced> consumer;

    PreorderPlacedListener(EventInbox inbox, JdbcTemplate jdbc, Outbox outbox, HandlerFaults faults, Traces traces) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.faults = faults;
        this.traces = traces;
        this.consumer = inbox.consumer(CONSUMER, PreorderPlaced.class, PreorderPlaced::getEventId,
                events -> events.forEach(received -> received.inItsTrace(() -> apply(received.event()))));
    }

    @KafkaListener(id = CONSUMER, topics = Topics.PREORDER_PLACED, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
    }

    private void apply(PreorderPlaced event) {
        faults.check(event);
        if (REFUSED_COLOR.equals(event.getExteriorColor())) {
            throw new PermanentEventException("exterior colour %s is not offered".formatted(event.getExteriorColor()));
        }
        jdbc.update("insert into applied_event (consumer, event_id, preorder_id, sequence, traceparent, correlation_id) values (?, ?, ?, ?, ?, ?)",
                CONSUMER, event.getEventId(), event.getPreorderId(), TestEvents.sequenceOf(event),
                traces.currentTraceparent(), traces.currentCorrelationId());
        outbox.record(Topics.UNIT_BUILT, event.getPreorderId(), TestEvents.unitBuiltFor(event));
    }
}
