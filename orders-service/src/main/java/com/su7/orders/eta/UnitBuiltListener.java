package com.su7.orders.eta;

import com.su7.contract.Topics;
import com.su7.events.UnitBuilt;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import com.su7.messaging.inbox.Received;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class UnitBuiltListener {

    static final String CONSUMER = "orders.unit-built";

    private final InboxConsumer<UnitBuilt> consumer;

    UnitBuiltListener(EventInbox inbox, EtaProjection projection) {
        // How far each partition is read, in build time: the observed build rate's window ends there (BuildRates).
        this.consumer = inbox.consumer(CONSUMER, UnitBuilt.class, UnitBuilt::getEventId, UnitBuilt::getBuiltAt,
                events -> projection.builtAll(events.stream().map(Received::event).toList()));
    }

    @KafkaListener(id = CONSUMER, topics = Topics.UNIT_BUILT, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
    }
}
