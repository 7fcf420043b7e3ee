package com.su7.orders.eta.rebuild;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Map;
import java.util.UUID;

/**
 * Whether the live projection left out a record the rebuild has to skip: a rebuild may switch only to tables that
 * lack nothing the live ones applied. Asked only of records below the offsets the live listeners committed, which
 * they commit after applying or dead-lettering every record before them.
 */
final class LiveProjectionSkips {

    private final JdbcClient jdbc;
    private final ProjectionTables tables;
    private final Map<String, String> consumerOfTopic;

    /** @param consumerOfTopic the inbox consumer (the listener id) of each topic a listener applies */
    LiveProjectionSkips(JdbcClient jdbc, ProjectionTables tables, Map<String, String> consumerOfTopic) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.consumerOfTopic = Map.copyOf(consumerOfTopic);
    }

    boolean skippedToo(ConsumerRecord<String, byte[]> record) {
        String consumer = consumerOfTopic.get(record.topic());
        if (consumer != null) {
            // Dead-lettered (or held behind a dead letter) and not applied by a redrive since.
            return jdbc.sql("""
                            select exists (select 1 from dead_letter where consumer = ? and topic = ? and record_partition = ?
                                           and record_offset = ? and state <> 'RESOLVED')""")
                    .params(consumer, record.topic(), record.partition(), record.offset())
                    .query(Boolean.class).single();
        }
        // The service's own PreorderPlaced: a placement writes the projection before it publishes, so the live
        // projection holds every preorder it published; a record naming none of them is none of its placements.
        UUID preorderId = uuidOrNull(record.key());
        return preorderId == null || !tables.liveHolds(preorderId);
    }

    private static UUID uuidOrNull(String key) {
        try {
            return key == null ? null : UUID.fromString(key);
        } catch (IllegalArgumentException notAPreorderId) {
            return null;
        }
    }
}
