package com.su7.delivery.schedule;

import com.su7.contract.Topics;
import com.su7.events.UnitBuilt;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class UnitBuiltListener {

    static final String CONSUMER = "delivery.unit-built";

    private final InboxConsumer<UnitBuilt> consumer;

    UnitBuiltListener(EventInbox inbox, Schedule schedule) {
        // How far each partition is read, in build time: the outlook's build rate ends its window there.
        this.consumer = inbox.consumer(CONSUMER, UnitBuilt.class, UnitBuilt::getEventId, UnitBuilt::getBuiltAt,
                schedule::builtAll);
    }

    @KafkaListener(id = CONSUMER, topics = Topics.UNIT_BUILT, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
    }
}
