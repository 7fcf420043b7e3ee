package com.su7.production.queue;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class PreorderPlacedListener {

    static final String CONSUMER = "production.preorder-placed";

    private final InboxConsumer<PreorderPlaced> consumer;

    PreorderPlacedListener(EventInbox inbox, PreorderIntake intake) {
        this.consumer = inbox.consumer(CONSUMER, PreorderPlaced.class, PreorderPlaced::getEventId,
                intake::enqueueAll);
    }

    @KafkaListener(id = CONSUMER, topics = Topics.PREORDER_PLACED, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
    }
}
