package com.su7.messaging.inbox;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apicurio's datum provider, with its readers found by the writer's schema object instead of by its fingerprint.
 * Apicurio caches the readers already, but finds one by computing the schema's parsing fingerprint for every record
 * (its canonical form built as a string, then hashed): 3-4 % of a consuming service's CPU in the pipeline benchmark's
 * profile. The writer's schema is one object per schema id for the life of the deserializer (Apicurio's resolver
 * caches it), so the object itself is the key; a schema parsed again is a new key and its reader is made again, which
 * is correct, only slower.
 */
public final class ReaderPerWriterSchema<T> extends DefaultAvroDatumProvider<T> {

    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();

    @Override
    public DatumReader<T> createDatumReader(Schema writer) {
        DatumReader<T> reader = readers.get(writer);
        return reader != null ? reader : readers.computeIfAbsent(writer, super::createDatumReader);
    }
}
