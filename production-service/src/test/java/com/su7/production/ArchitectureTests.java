package com.su7.production;

import com.su7.testsupport.ServiceBoundaries;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

/** The boundaries of production-service (see {@link ServiceBoundaries}): which feature owns which table is declared here. */
class ArchitectureTests {

    private static final ServiceBoundaries BOUNDARIES = ServiceBoundaries.of("com.su7.production", Map.of(
            "queue", Set.of("production_queue", "city_transit", "held_cancellation", "spare_unit", "queue_length_delta"),
            "capacity", Set.of("capacity_period", "capacity_plan_change"),
            "line", Set.of("vin_serials"),
            "shared", Set.of("production_line")));

    @Test
    void featurePackagesImportEachOtherWithoutCycles() {
        BOUNDARIES.checkFeaturesFreeOfCycles();
    }

    @Test
    void usesNoOtherServiceNorTheLocalStackOrTestSupport() {
        BOUNDARIES.checkUsesOnlyItsOwnAndSharedModules();
    }

    @Test
    void namesEachTableInSqlOnlyInTheFeatureThatOwnsIt() {
        BOUNDARIES.checkTablesNamedOnlyByTheirFeature();
    }
}
