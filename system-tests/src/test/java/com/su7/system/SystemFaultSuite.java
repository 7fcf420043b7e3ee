package com.su7.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

/**
 * The fault suite on a one-broker stack ({@code ./mvnw -Pfaults -pl system-tests verify}): every case under a
 * steady load of preorders, each ending with every preorder checked; the table goes to
 * {@code target/fault-suite/system-faults.md|json}. The cluster case is {@link KafkaClusterFaultSuite}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemFaultSuite {

    private static final FaultReport REPORT = new FaultReport("system-faults", "Fault suite: three services on one Kafka broker");
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static FaultCases cases;

    @BeforeAll
    static void startTheSystem() {
        cases = new FaultCases(FaultSystem.shared());
    }

    @Test
    @Order(1)
    void ordersServiceKilled() {
        REPORT.add(cases.sigkill("orders"));
    }

    @Test
    @Order(2)
    void productionServiceKilled() {
        REPORT.add(cases.sigkill("production"));
    }

    @Test
    @Order(3)
    void deliveryServiceKilled() {
        REPORT.add(cases.sigkill("delivery"));
    }

    @Test
    @Order(4)
    void kafkaBrokerKilledAndRestartedOnItsData() {
        REPORT.add(cases.kafkaKilled());
    }

    @Test
    @Order(5)
    void postgresStoppedThirtySeconds() {
        REPORT.add(cases.postgresStopped(OUTAGE));
    }

    @Test
    @Order(6)
    void registryUnavailableThirtySeconds() {
        REPORT.add(cases.registryUnavailable(OUTAGE));
    }

    @Test
    @Order(7)
    void poisonOfEveryKindInEveryConsumedTopic() {
        REPORT.add(cases.poison());
    }

    @Test
    @Order(8)
    void duplicatedEventsAndRequests() {
        REPORT.add(cases.duplicates());
    }

    @Test
    @Order(9)
    void secondInstancesJoinAndLeaveTheConsumerGroups() {
        REPORT.add(cases.rebalance());
    }
}
