package com.su7.orders.preorder;

import com.su7.contract.Topics;
import com.su7.messaging.inbox.EventInbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class PreorderRequestListener {

    static final String CONSUMER = "orders.preorder-requests";

    private final EventInbox inbox;
    private final PreorderRequestDecoder decoder;
    private final PreorderService preorders;

    PreorderRequestListener(EventInbox inbox, PreorderRequestDecoder decoder, PreorderService preorders) {
        this.inbox = inbox;
        this.decoder = decoder;
        this.preorders = preorders;
    }

    @KafkaListener(id = CONSUMER, topics = Topics.PREORDER_REQUESTS, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        inbox.processAll(CONSUMER, records, decoder, AppPreorderRequest::eventId, preorders::placeAll);
    }
}
