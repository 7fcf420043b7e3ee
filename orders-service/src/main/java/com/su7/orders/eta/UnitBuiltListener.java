package com.su7.orders.eta;

import com.su7.contract.Topics;
import com.su7.events.UnitBuilt;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.InboxConsumer;
import com.su7.messaging.inbox.Received;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class UnitBuiltListener {

    private static final Logger log = LoggerFactory.getLogger(UnitBuiltListener.class);

    static final String CONSUMER = "orders.unit-built";

    private final InboxConsumer<UnitBuilt> consumer;
    private final BuildRates rates;

    UnitBuiltListener(EventInbox inbox, EtaProjection projection, BuildRates rates) {
        this.rates = rates;
        this.consumer = inbox.consumer(CONSUMER, UnitBuilt.class, UnitBuilt::getEventId,
                events -> projection.builtAll(events.stream().map(Received::event).toList()));
    }

    @KafkaListener(id = CONSUMER, topics = Topics.UNIT_BUILT, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        consumer.process(records);
        try {
            rates.read(records);
        } catch (RuntimeException e) {
            // The batch is applied; the next one notes its partitions' progress again.
            log.warn("could not note how far UnitBuilt was read (the next batch does): {}", e.getMessage());
        }
    }
}
