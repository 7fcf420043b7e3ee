package com.su7.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A three-broker KRaft cluster on loopback (replication factor 3, {@code min.insync.replicas=2}) loses a broker
 * mid-load: nothing lost or duplicated, and the customers' wait (REST answer, the app's acknowledged request)
 * measured across the failure; table in {@code target/fault-suite/kafka-cluster-faults.md|json}.
 */
class KafkaClusterFaultSuite {

    private static final FaultReport REPORT = new FaultReport("kafka-cluster-faults", "Fault suite: three-broker Kafka cluster");
    private static FaultSystem cluster;

    @BeforeAll
    static void startTheSystemOnACluster() {
        cluster = FaultSystem.start(3);
        assertThat(cluster.stack().kafkaBrokers()).isEqualTo(3);
    }

    @AfterAll
    static void stopIt() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void losingOneBrokerLosesNothing() {
        REPORT.add(new FaultCases(cluster).brokerLost());
    }
}
