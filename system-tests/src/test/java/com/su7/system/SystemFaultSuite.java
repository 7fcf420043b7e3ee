package com.su7.system;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * The fault suite on a one-broker stack ({@code ./mvnw -Pfaults -pl system-tests verify}): the fast cases it
 * inherits, then every other, each under a steady load of preorders and ending with every preorder checked; the
 * table goes to {@code target/fault-suite/system-faults.md|json}. The cluster case is {@link KafkaClusterFaultSuite}.
 */
class SystemFaultSuite extends FaultToleranceIntegrationTests {

    private static final FaultReport REPORT = new FaultReport("system-faults", "Fault suite: three services on one Kafka broker");
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Override
    FaultReport report() {
        return REPORT;
    }

    @Test
    @Order(4)
    void productionServiceKilled() {
        REPORT.add(cases.sigkill("production"));
    }

    @Test
    @Order(5)
    void deliveryServiceKilled() {
        REPORT.add(cases.sigkill("delivery"));
    }

    @Test
    @Order(6)
    void kafkaBrokerKilledAndRestartedOnItsData() {
        REPORT.add(cases.kafkaKilled());
    }

    @Test
    @Order(7)
    void postgresStoppedThirtySeconds() {
        REPORT.add(cases.postgresStopped(OUTAGE));
    }

    @Test
    @Order(8)
    void registryUnavailableThirtySeconds() {
        REPORT.add(cases.registryUnavailable(OUTAGE));
    }

    @Test
    @Order(9)
    void secondInstancesJoinAndLeaveTheConsumerGroups() {
        REPORT.add(cases.rebalance());
    }

    @Test
    @Order(10)
    void productionsDatabaseReadOnlyThirtySeconds() {
        REPORT.add(cases.readOnlyDatabase("production", OUTAGE));
    }

    @Test
    @Order(11)
    void aBugInAHandlerForTwentySeconds() {
        REPORT.add(cases.handlerBug(Duration.ofSeconds(20)));
    }
}
