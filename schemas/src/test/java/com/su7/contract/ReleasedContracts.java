package com.su7.contract;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * FULL_TRANSITIVE, checked before any service or registry is involved: topics are kept forever and upgrades roll, so
 * each current event must read what every release wrote (backward) and every release's readers must read it
 * (forward). A release's event missing from the current schemas is a break too: its topic still carries it.
 */
final class ReleasedContracts {

    private ReleasedContracts() {
    }

    /** Every release kept in {@code releasesFolder}, by its folder name. */
    static SortedMap<String, SchemaTree> read(Path releasesFolder) {
        SortedMap<String, SchemaTree> releases = new TreeMap<>();
        try (Stream<Path> folders = Files.list(releasesFolder)) {
            folders.filter(Files::isDirectory)
                    .forEach(folder -> releases.put(folder.getFileName().toString(), SchemaTree.read(folder)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the releases in " + releasesFolder, e);
        }
        return releases;
    }

    /** What breaks between the current schemas and the releases, one line per event, release and direction. */
    static List<String> incompatibilities(SchemaTree current, Map<String, SchemaTree> releases) {
        List<String> found = new ArrayList<>();
        releases.forEach((release, released) -> released.events().forEach((name, old) -> {
            Schema now = current.events().get(name);
            if (now == null) {
                found.add("%s of release %s is gone from the current schemas, though its topic still carries it"
                        .formatted(name, release));
                return;
            }
            describe(now, old, "%s cannot read what release %s wrote (backward)".formatted(name, release), found);
            describe(old, now, "readers of %s from release %s cannot read the current one (forward)"
                    .formatted(name, release), found);
        }));
        return found;
    }

    private static void describe(Schema reader, Schema writer, String what, List<String> found) {
        for (Incompatibility incompatibility : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult().getIncompatibilities()) {
            found.add("%s: %s at %s: %s".formatted(what, incompatibility.getType(), incompatibility.getLocation(),
                    incompatibility.getMessage()));
        }
    }
}
