package com.su7.messaging.testapp;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import com.su7.messaging.inbox.PermanentEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * A second consumer of the same topic, in its own group, that refuses the same colour: as production and delivery
 * both consume PreorderPlaced, so their dead letters of one record must be told apart.
 */
@Component
class AuditListener {

    static final String CONSUMER = "messaging-tests.audit";

    private final InboxConsumer<PreorderPlaced> consumer;

    AuditListener(EventInbox inbox) {
        this.consumer = inbox.consumer(CONSUMER, PreorderPlaced.class, PreorderPlaced::getEventId, events -> events.forEach(received -> {
            if (PreorderPlacedListener.REFUSED_COLOR.equals(received.event().getExteriorColor())) {
                throw new PermanentEventException("the audit refuses " + PreorderPlacedListener.REFUSED_COLOR + " too");
            }
        }));
    }

    @KafkaListener(id = CONSUMER, topics = Topics.PREORDER_PLACED, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
    }
}
