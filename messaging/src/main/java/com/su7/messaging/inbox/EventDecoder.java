package com.su7.messaging.inbox;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns a record's bytes into an event; throws when it cannot (then the record is dead-lettered or retried). */
@FunctionalInterface
public interface EventDecoder<E> {

    E decode(ConsumerRecord<String, byte[]> record);
}
