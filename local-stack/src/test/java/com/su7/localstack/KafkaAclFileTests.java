package com.su7.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose's Kafka users and ACLs are the catalog's, not a copy that drifts from it. */
class KafkaAclFileTests {

    // Surefire runs in the module's directory.
    private static final Path COMMITTED = Path.of("..").resolve(KafkaAclFile.COMMITTED);

    @Test
    void theCommittedFileIsWhatTheCatalogGenerates() throws IOException {
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "";
        assertThat(committed)
                .as("%s is not what KafkaPrincipal generates; regenerate it from the repository's root:%n  %s%n",
                        KafkaAclFile.COMMITTED, KafkaAclFile.REGENERATE)
                .isEqualTo(KafkaAclFile.render(KafkaPrincipal.ALL));
    }

    @Test
    void namesEveryPrincipalWithTheVariableHoldingItsPassword() {
        assertThat(lines("user")).containsExactly(
                "user orders ORDERS_KAFKA_PASSWORD",
                "user production PRODUCTION_KAFKA_PASSWORD",
                "user delivery DELIVERY_KAFKA_PASSWORD",
                "user app APP_KAFKA_PASSWORD",
                "user notifications NOTIFICATIONS_KAFKA_PASSWORD",
                "user kafka-ui KAFKA_UI_KAFKA_PASSWORD");
    }

    @Test
    void writesAclsInKafkaAclsShellTerms() {
        assertThat(lines("allow orders")).contains(
                "allow orders Write Topic orders.preorder-placed literal",
                "allow orders DescribeConfigs Topic orders.preorder-placed.DLT literal",
                "allow orders Read Group orders prefixed");
        assertThat(lines("allow app")).containsExactly("allow app Write Topic app.preorder-requests literal");
        assertThat(lines("allow notifications")).containsExactly(
                "allow notifications Read Topic orders.eta-changed literal",
                "allow notifications Read Group notifications prefixed");
    }

    @Test
    void letsKafkaUiReadAndDescribeButChangeNothing() {
        List<String> kafkaUi = lines("allow kafka-ui");
        assertThat(kafkaUi).allSatisfy(line -> assertThat(line.split(" ")[2]).isIn("Read", "Describe", "DescribeConfigs"))
                .contains("allow kafka-ui Read Topic orders.preorder-placed.DLT literal",
                        "allow kafka-ui Describe Group * literal",
                        "allow kafka-ui Describe Cluster kafka-cluster literal")
                // Read on a group would let it commit (move) that group's offsets.
                .noneMatch(line -> line.startsWith("allow kafka-ui Read Group"));
    }

    private static List<String> lines(String prefix) {
        return KafkaAclFile.render(KafkaPrincipal.ALL).lines().filter(line -> line.startsWith(prefix + " ")).toList();
    }
}
