package com.su7.delivery;

import com.su7.testsupport.ServiceBoundaries;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

/** The boundaries of delivery-service (see {@link ServiceBoundaries}): which feature owns which table is declared here. */
class ArchitectureTests {

    private static final ServiceBoundaries BOUNDARIES = ServiceBoundaries.of("com.su7.delivery", Map.of(
            "center", Set.of("center", "center_capacity_change"),
            "schedule", Set.of("center_day_load", "delivery_awaiting_delta", "delivery_preorder")));

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
