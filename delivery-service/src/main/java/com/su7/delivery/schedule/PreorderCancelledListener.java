package com.su7.delivery.schedule;

import com.su7.contract.Topics;
import com.su7.events.PreorderCancelled;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class PreorderCancelledListener {

    static final String CONSUMER = "delivery.preorder-cancelled";

    private final InboxConsumer<PreorderCancelled> consumer;

    PreorderCancelledListener(EventInbox inbox, Schedule schedule) {
        this.consumer = inbox.consumer(CONSUMER, PreorderCancelled.class, PreorderCancelled::getEventId,
                schedule::cancelledAll);
    }

    @KafkaListener(id = CONSUMER, topics = Topics.PREORDER_CANCELLED, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
    }
}
