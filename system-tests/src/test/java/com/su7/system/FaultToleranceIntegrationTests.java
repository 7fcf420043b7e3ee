package com.su7.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite's fast cases, in every {@code ./mvnw verify}: poison, duplicates and a crash of orders-service
 * under a steady load, every preorder checked afterwards. The whole suite, {@link SystemFaultSuite}, runs these
 * cases too and adds the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIntegrationTests {

    private static final FaultReport FAST = new FaultReport("fast-faults", "Fault suite, fast cases (./mvnw verify)");
    static FaultCases cases;

    @BeforeAll
    static void startTheSystem() {
        cases = new FaultCases(FaultSystem.shared());
    }

    /** The table the cases' rows go to. */
    FaultReport report() {
        return FAST;
    }

    @Test
    @Order(1)
    void poisonOfEveryKindReachesEachTopicsDeadLetterTopicWithItsReasonAndTheRestFlowsOn() {
        report().add(cases.poison());
    }

    @Test
    @Order(2)
    void duplicatedEventsAndRequestsChangeNothing() {
        report().add(cases.duplicates());
    }

    @Test
    @Order(3)
    void ordersServiceKilledMidLoadLosesAndDuplicatesNothing() {
        report().add(cases.sigkill("orders"));
    }
}
