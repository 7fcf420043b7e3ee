package com.su7.messaging.inbox;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class ReaderPerWriterSchemaTests {

    private static Schema unitBuilt() {
        return SchemaBuilder.record("UnitBuilt").namespace("test").fields()
                .requiredString("preorderId").requiredString("vin").endRecord();
    }

    @Test
    void aWriterSchemaKeepsItsReader() {
        ReaderPerWriterSchema<Object> provider = new ReaderPerWriterSchema<>();
        Schema writer = unitBuilt();

        assertThat(provider.createDatumReader(writer)).isSameAs(provider.createDatumReader(writer));
    }

    @Test
    void theSameSchemaParsedAgainGetsAReaderThatDecodesIt() throws IOException {
        ReaderPerWriterSchema<Object> provider = new ReaderPerWriterSchema<>();
        Schema first = unitBuilt();
        Schema again = new Schema.Parser().parse(first.toString());
        provider.createDatumReader(first);

        GenericRecord written = new GenericData.Record(again);
        written.put("preorderId", "p-1");
        written.put("vin", "LSU7A0000001");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(again).write(written, encoder);
        encoder.flush();

        Object read = provider.createDatumReader(again).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read).hasToString(written.toString());
    }
}
