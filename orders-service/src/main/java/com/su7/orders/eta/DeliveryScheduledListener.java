package com.su7.orders.eta;

import com.su7.contract.Topics;
import com.su7.events.DeliveryScheduled;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import com.su7.messaging.inbox.Received;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class DeliveryScheduledListener {

    static final String CONSUMER = "orders.delivery-scheduled";

    private final InboxConsumer<DeliveryScheduled> consumer;

    DeliveryScheduledListener(EventInbox inbox, EtaProjection projection) {
        this.consumer = inbox.consumer(CONSUMER, DeliveryScheduled.class, DeliveryScheduled::getEventId,
                events -> projection.scheduledAll(events.stream().map(Received::event).toList()));
    }

    @KafkaListener(id = CONSUMER, topics = Topics.DELIVERY_SCHEDULED, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
    }
}
