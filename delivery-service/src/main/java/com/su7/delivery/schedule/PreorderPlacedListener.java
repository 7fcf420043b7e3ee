package com.su7.delivery.schedule;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.EventInbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class PreorderPlacedListener {

    static final String CONSUMER = "delivery.preorder-placed";

    private final EventInbox inbox;
    private final Schedule schedule;

    PreorderPlacedListener(EventInbox inbox, Schedule schedule) {
        this.inbox = inbox;
        this.schedule = schedule;
    }

    @KafkaListener(id = CONSUMER, topics = Topics.PREORDER_PLACED, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        inbox.processAll(CONSUMER, records, PreorderPlaced.class, PreorderPlaced::getEventId, schedule::placedAll);
    }
}
