package com.su7.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite's fast cases, in every {@code ./mvnw verify}: poison, duplicates and a crash of orders-service
 * under a steady load, every preorder checked afterwards. The whole suite is {@link SystemFaultSuite}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIntegrationTests {

    private static final FaultReport REPORT = new FaultReport("fast-faults", "Fault suite, fast cases (./mvnw verify)");
    private static FaultCases cases;

    @BeforeAll
    static void startTheSystem() {
        cases = new FaultCases(FaultSystem.shared());
    }

    @Test
    @Order(1)
    void poisonOfEveryKindReachesEachTopicsDeadLetterTopicWithItsReasonAndTheRestFlowsOn() {
        REPORT.add(cases.poison());
    }

    @Test
    @Order(2)
    void duplicatedEventsAndRequestsChangeNothing() {
        REPORT.add(cases.duplicates());
    }

    @Test
    @Order(3)
    void ordersServiceKilledMidLoadLosesAndDuplicatesNothing() {
        REPORT.add(cases.sigkill("orders"));
    }
}
