package com.su7.messaging.outbox;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event schemas of release v0.1.0 as {@code schemas} keeps them ({@code avro-history/v0.1.0}), by event class:
 * the writers of the rows that release left in {@code outbox_event}. Only that release needs this: every later one
 * records its writer's schema id with each row. Its files are frozen, so they are named here.
 */
final class FirstReleaseSchemas implements Function<String, Optional<Schema>> {

    private static final String FOLDER = "/avro-history/v0.1.0/";
    private static final List<String> FILES = List.of("types/Channel.avsc", "types/Variant.avsc",
            "PreorderPlaced.avsc", "UnitBuilt.avsc", "DeliveryScheduled.avsc");

    private final Map<String, Schema> byClass;

    FirstReleaseSchemas() {
        Schema.Parser parser = new Schema.Parser();
        for (String file : FILES) {
            try (InputStream in = FirstReleaseSchemas.class.getResourceAsStream(FOLDER + file)) {
                if (in == null) {
                    throw new IllegalStateException("the schemas module holds no " + FOLDER + file);
                }
                parser.parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + FOLDER + file, e);
            }
        }
        this.byClass = parser.getTypes().values().stream().filter(schema -> schema.getType() == Schema.Type.RECORD)
                .collect(Collectors.toUnmodifiableMap(Schema::getFullName, Function.identity()));
    }

    @Override
    public Optional<Schema> apply(String eventClass) {
        return Optional.ofNullable(byClass.get(eventClass));
    }
}
