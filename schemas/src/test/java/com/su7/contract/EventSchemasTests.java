package com.su7.contract;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventSchemasTests {

    @Test
    void everyEventCarriesItsIdWhenItOccurredAndItsKey() {
        for (EventSchemas.EventSchema schema : EventSchemas.ALL) {
            List<String> fields = schema.schema().getFields().stream().map(Schema.Field::name).toList();
            assertThat(fields).as(schema.subject()).contains("eventId", "occurredAt", "preorderId");
            assertThat(schema.schema().getField("occurredAt").schema().getLogicalType().getName()).isEqualTo("timestamp-millis");
        }
    }

    @Test
    void eventNamesArePastTenseWithoutAnEventSuffix() {
        assertThat(EventSchemas.ALL).extracting(schema -> schema.schema().getName())
                .containsExactly("PreorderPlaced", "UnitBuilt", "DeliveryScheduled");
    }

    @Test
    void subjectsFollowTheTopicNameStrategy() {
        assertThat(EventSchemas.ALL).extracting(EventSchemas.EventSchema::subject)
                .containsExactly("orders.preorder-placed-value", "production.unit-built-value", "delivery.delivery-scheduled-value");
    }

    @Test
    void registeredSchemaTextIsSelfContained() {
        // The registry gets one document per subject: the shared enums must be inlined, not referenced.
        Schema reparsed = new Schema.Parser().parse(EventSchemas.UNIT_BUILT.schema().toString());
        assertThat(reparsed.getField("variant").schema().getEnumSymbols()).containsExactly("SU7", "SU7_PRO", "SU7_MAX");
    }

    @Test
    void deadLetterTopicsKeepThePartitionCount() {
        for (TopicSpec spec : Topics.ALL) {
            assertThat(spec.deadLetter().name()).isEqualTo(spec.name() + ".DLT");
            assertThat(spec.deadLetter().partitions()).isEqualTo(spec.partitions());
        }
    }

    @Test
    void refusesATopicWithoutPartitions() {
        assertThatThrownBy(() -> new TopicSpec("x", "k", 0, java.time.Duration.ofDays(1)))
                .hasMessageContaining("at least one partition");
    }
}
