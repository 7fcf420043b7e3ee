package com.su7.orders;

import com.su7.testsupport.ServiceBoundaries;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

/** The boundaries of orders-service (see {@link ServiceBoundaries}): which feature owns which table is declared here. */
class ArchitectureTests {

    private static final ServiceBoundaries BOUNDARIES = ServiceBoundaries.of("com.su7.orders", Map.of(
            "preorder", Set.of("preorder"),
            "eta", Set.of("preorder_eta", "eta_history", "unit_built", "delivery_schedule", "preorder_cancelled", "eta_queue_delta",
                    "preorder_status_delta")));

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
