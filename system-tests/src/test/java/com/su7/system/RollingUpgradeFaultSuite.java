package com.su7.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rolling-upgrade rehearsal ({@code ./mvnw -Pfaults -pl system-tests verify}): from the release named in
 * {@code system-tests/previous-release}, built from its own tree, to the current build, one service at a time under
 * load, on a fresh stack per upgrade order; every preorder checked afterwards. The report goes to
 * {@code target/fault-suite/rolling-upgrade.md|json}.
 * <p>
 * Not in {@code ./mvnw verify}: a fresh stack and six service starts per order, under load, take minutes on a
 * 2-core machine, and the previous release must come from the repository's history, which a shallow checkout lacks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingUpgradeFaultSuite {

    private static PreviousRelease previous;
    private static RollingUpgradeReport report;

    @BeforeAll
    static void buildThePreviousRelease() {
        previous = PreviousRelease.build();
        report = new RollingUpgradeReport(previous.describe(), Git.describeHead(Path.of("..")));
    }

    /** The producer of PreorderPlaced first: the previous release's readers read the new events. */
    @Test
    @Order(1)
    void ordersThenProductionThenDeliveryLoseAndDuplicateNothing() {
        rehearse(List.of("orders", "production", "delivery"));
    }

    /** The readers first: the current build reads the previous release's events. */
    @Test
    @Order(2)
    void deliveryThenProductionThenOrdersLoseAndDuplicateNothing() {
        rehearse(List.of("delivery", "production", "orders"));
    }

    private static void rehearse(List<String> order) {
        try (FaultSystem system = FaultSystem.start(1, previous.release())) {
            RollingUpgrade.Scenario scenario = new RollingUpgrade(system, previous.release().schemas(), Release.CURRENT).run(order);
            report.add(scenario);
            assertThat(scenario.problems()).as("upgrading %s from %s", order, previous.describe()).isEmpty();
        }
    }
}
