package com.su7.orders.preorder;

import com.su7.contract.Topics;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class PreorderRequestListener {

    static final String CONSUMER = "orders.preorder-requests";

    private final InboxConsumer<AppPreorderRequest> consumer;

    PreorderRequestListener(EventInbox inbox, PreorderRequestDecoder decoder, PreorderService preorders) {
        this.consumer = inbox.consumer(CONSUMER, decoder, AppPreorderRequest::eventId,
                preorders::placeAll);
    }

    @KafkaListener(id = CONSUMER, topics = Topics.PREORDER_REQUESTS, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
    }
}
