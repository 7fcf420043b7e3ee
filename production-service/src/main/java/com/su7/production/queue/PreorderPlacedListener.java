package com.su7.production.queue;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.EventInbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class PreorderPlacedListener {

    static final String CONSUMER = "production.preorder-placed";

    private final EventInbox inbox;
    private final PreorderIntake intake;

    PreorderPlacedListener(EventInbox inbox, PreorderIntake intake) {
        this.inbox = inbox;
        this.intake = intake;
    }

    @KafkaListener(id = CONSUMER, groupId = "production-service", topics = Topics.PREORDER_PLACED, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        inbox.process(CONSUMER, records, PreorderPlaced.class, PreorderPlaced::getEventId, intake::enqueue);
    }
}
