package com.su7.contract;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The build-time compatibility check: {@code ./mvnw verify} fails here before any service or registry is involved. */
class ReleasedContractsTests {

    private static final Path CURRENT = Path.of("src", "main", "avro");
    private static final Path FIXTURES = Path.of("src", "test", "resources", "incompatible");
    private static final SortedMap<String, SchemaTree> RELEASES = ReleasedContracts.read(SchemaTree.RELEASES);

    @Test
    void everyEventReadsWhatEveryReleaseWroteAndEveryReleaseReadsIt() {
        assertThat(RELEASES).as("released contracts in %s", SchemaTree.RELEASES).containsKey("v0.1.0");
        SchemaTree current = SchemaTree.read(CURRENT);

        List<String> incompatibilities = ReleasedContracts.incompatibilities(current, RELEASES);

        assertThat(incompatibilities).withFailMessage(() -> "the event schemas break compatibility with a release:\n"
                + String.join("\n", incompatibilities)).isEmpty();
    }

    @Test
    void readsTheEventsAsTheBuildDoesWithTheirSharedTypes() {
        SchemaTree current = SchemaTree.read(CURRENT);

        // The generated classes' schemas differ only in Java hints (avro.java.string), not in what is on the wire.
        for (EventSchemas.EventSchema generated : EventSchemas.ALL) {
            assertThat(SchemaNormalization.toParsingForm(current.events().get(generated.schema().getName())))
                    .isEqualTo(SchemaNormalization.toParsingForm(generated.schema()));
        }
    }

    @Test
    void failsNamingTheEventWhenANewFieldIsRequiredThatOldEventsLack() {
        SchemaTree requiredField = currentWith(withTodaysTypes("required-field"));

        List<String> incompatibilities = ReleasedContracts.incompatibilities(requiredField, RELEASES);

        assertThat(incompatibilities).anySatisfy(incompatibility -> assertThat(incompatibility).contains(
                "PreorderPlaced cannot read what release v0.1.0 wrote (backward)",
                "READER_FIELD_MISSING_DEFAULT_VALUE", "interior"));
    }

    @Test
    void failsNamingTheEventWhenAFieldOldReadersNeedIsRemoved() {
        SchemaTree withoutPlant = currentWith(withTodaysTypes("field-old-readers-need"));

        List<String> incompatibilities = ReleasedContracts.incompatibilities(withoutPlant, RELEASES);

        assertThat(incompatibilities).anySatisfy(incompatibility -> assertThat(incompatibility).contains(
                "readers of UnitBuilt from release v0.1.0 cannot read the current one (forward)",
                "READER_FIELD_MISSING_DEFAULT_VALUE", "plant"));
    }

    @Test
    void failsOnANewEnumSymbolWhileAReleaseWithoutAnEnumDefaultIsKept() {
        // The fixture declares its Variant inline, with a new symbol.
        SchemaTree newSymbol = currentWith(SchemaTree.read(FIXTURES.resolve("new-symbol")));

        List<String> incompatibilities = ReleasedContracts.incompatibilities(newSymbol, RELEASES);

        assertThat(incompatibilities).anySatisfy(incompatibility -> assertThat(incompatibility).contains(
                "readers of UnitBuilt from release v0.1.0 cannot read the current one (forward)",
                "MISSING_ENUM_SYMBOLS", "SU7_ULTRA"));
    }

    @Test
    void failsWhenAReleasedEventIsGone() {
        Map<String, Schema> events = new HashMap<>(SchemaTree.read(CURRENT).events());
        events.remove("DeliveryScheduled");

        assertThat(ReleasedContracts.incompatibilities(new SchemaTree(events), RELEASES)).anySatisfy(incompatibility ->
                assertThat(incompatibility).contains("DeliveryScheduled of release v0.1.0 is gone"));
    }

    /** Today's schemas with the fixture's events in place of their namesakes. */
    private static SchemaTree currentWith(SchemaTree fixture) {
        Map<String, Schema> events = new HashMap<>(SchemaTree.read(CURRENT).events());
        events.putAll(fixture.events());
        return new SchemaTree(events);
    }

    /** A fixture's events, referring to today's shared types by name. */
    private static SchemaTree withTodaysTypes(String fixture) {
        return SchemaTree.read(CURRENT.resolve("types"), FIXTURES.resolve(fixture));
    }
}
