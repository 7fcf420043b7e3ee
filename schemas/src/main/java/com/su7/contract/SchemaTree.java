package com.su7.contract;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The event schemas of one folder of {@code .avsc} files, read the way the build reads {@code src/main/avro}: the
 * shared named types of {@code types/} first, then each event, all with one parser, so an event refers to a type by
 * name (as the avro-maven-plugin's imports allow). Released contracts are such folders, copied from
 * {@code src/main/avro} at release time to {@code src/main/avro-history/<release>/}.
 *
 * @param events each event's schema (its shared types inlined, as the registry gets it), by the event's name, in order
 */
public record SchemaTree(Map<String, Schema> events) {

    /** Where, inside the {@code schemas} module, the released contracts are kept, one folder per release. */
    public static final Path RELEASES = Path.of("src", "main", "avro-history");

    public SchemaTree {
        events = Collections.unmodifiableMap(new TreeMap<>(events));
    }

    /** The folder's events, with the named types of its {@code types/} subfolder (if it has one). */
    public static SchemaTree read(Path folder) {
        return read(folder.resolve("types"), folder);
    }

    /** The events directly in {@code eventFolder}, with the named types of {@code typeFolder}. */
    public static SchemaTree read(Path typeFolder, Path eventFolder) {
        Schema.Parser parser = new Schema.Parser();
        if (Files.isDirectory(typeFolder)) {
            avscFiles(typeFolder).forEach(file -> parse(parser, file));
        }
        Map<String, Schema> events = new TreeMap<>();
        for (Path file : avscFiles(eventFolder)) {
            Schema event = parse(parser, file);
            events.put(event.getName(), event);
        }
        return new SchemaTree(events);
    }

    private static List<Path> avscFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the schemas in " + folder, e);
        }
    }

    private static Schema parse(Schema.Parser parser, Path file) {
        try {
            return parser.parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("%s is no valid Avro schema: %s".formatted(file, e.getMessage()), e);
        }
    }
}
