package com.su7.contract;

import com.su7.events.CancellationReason;
import com.su7.events.Channel;
import com.su7.events.EtaChangeCause;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;
import com.su7.events.Variant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
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
                .containsExactly("PreorderPlaced", "UnitBuilt", "DeliveryScheduled", "EtaChanged", "PreorderCancelled");
    }

    @Test
    void subjectsFollowTheTopicNameStrategy() {
        assertThat(EventSchemas.ALL).extracting(EventSchemas.EventSchema::subject)
                .containsExactly("orders.preorder-placed-value", "production.unit-built-value", "delivery.delivery-scheduled-value",
                        "orders.eta-changed-value", "orders.preorder-cancelled-value");
    }

    @Test
    void registeredSchemaTextIsSelfContained() {
        // The registry gets one document per subject: the shared enums must be inlined, not referenced.
        Schema reparsed = new Schema.Parser().parse(EventSchemas.UNIT_BUILT.schema().toString());
        assertThat(reparsed.getField("variant").schema().getEnumSymbols()).containsExactly("SU7", "SU7_PRO", "SU7_MAX");
    }

    @Test
    void todaysReadersReadASymbolAddedLaterAsTheEnumsDefault() throws IOException {
        assertThat(readByToday(Variant.getClassSchema(), "SU7_ULTRA")).isEqualTo("SU7");
        assertThat(readByToday(Channel.getClassSchema(), "PARTNER_DEALER")).isEqualTo("APP");
        // EtaChanged's enums are new since v0.3.0 and have defaults from the start: symbols may be added later.
        assertThat(readByToday(EtaChangeCause.getClassSchema(), "PLANT_DELAY")).isEqualTo("RATE_CHANGED");
        assertThat(readByToday(EtaDirection.getClassSchema(), "UNKNOWN")).isEqualTo("SAME_DATES");
        assertThat(readByToday(PreorderStatus.getClassSchema(), "DELIVERED")).isEqualTo("PLACED");
        assertThat(readByToday(CancellationReason.getClassSchema(), "FOUND_A_CHEAPER_CAR")).isEqualTo("OTHER");
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

    /** What a reader with today's enum makes of a symbol that a later writer added to it. */
    private static String readByToday(Schema todaysEnum, String addedSymbol) throws IOException {
        List<String> laterSymbols = new ArrayList<>(todaysEnum.getEnumSymbols());
        laterSymbols.add(addedSymbol);
        Schema laterEnum = Schema.createEnum(todaysEnum.getName(), null, todaysEnum.getNamespace(), laterSymbols,
                todaysEnum.getEnumDefault());
        Schema writer = holding(laterEnum);
        GenericRecord written = new GenericData.Record(writer);
        written.put("value", new GenericData.EnumSymbol(laterEnum, addedSymbol));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(writer).write(written, encoder);
        encoder.flush();
        GenericRecord read = new GenericDatumReader<GenericRecord>(writer, holding(todaysEnum))
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        return read.get("value").toString();
    }

    private static Schema holding(Schema enumSchema) {
        return Schema.createRecord("Holder", null, "com.su7.test", false,
                List.of(new Schema.Field("value", enumSchema)));
    }
}
