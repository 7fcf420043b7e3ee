package com.su7.system;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules and dashboards in ops/ are complete as written; {@link ObservabilityIntegrationTests} checks that the
 * services export what they read.
 */
class MonitoringTests {

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertWaitsBeforeItFiresAndTellsOpsWhatToLookAt() {
        List<Map<String, Object>> alerts = Monitoring.rules().stream().filter(rule -> rule.containsKey("alert")).toList();

        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
        assertThat(alerts).allSatisfy(alert -> {
            assertThat(String.valueOf(alert.get("for"))).as("for: of %s", alert.get("alert")).matches("\\d+[smh]");
            assertThat(((Map<String, Object>) alert.get("labels")).get("severity")).as("severity of %s", alert.get("alert"))
                    .isIn("page", "ticket");
            Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
            assertThat(annotations).as("annotations of %s", alert.get("alert")).containsKeys("summary", "description");
            assertThat(annotations.values()).allSatisfy(text -> assertThat(String.valueOf(text)).isNotBlank());
        });
    }

    @Test
    void everyRuleAndPanelReadsAtLeastOneMetric() {
        List<Monitoring.Query> queries = new ArrayList<>(Monitoring.ruleQueries());
        queries.addAll(Monitoring.panelQueries());

        assertThat(Monitoring.panelQueries()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(queries).allSatisfy(query -> assertThat(query.metricNames()).as(query.where()).isNotEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPanelQueriesTheProvisionedPrometheus() {
        Map<String, Object> provisioning = new Yaml().load(Monitoring.read(Monitoring.OPS.resolve("grafana/provisioning/datasources/prometheus.yml")));
        Map<String, Object> prometheus = ((List<Map<String, Object>>) provisioning.get("datasources")).getFirst();
        assertThat(Monitoring.dashboards()).isNotEmpty();
        for (Path dashboard : Monitoring.dashboards()) {
            List<JsonNode> panels = Monitoring.panels(dashboard).stream().filter(panel -> !"row".equals(panel.path("type").asString())).toList();
            assertThat(panels).as("panels of %s", dashboard).isNotEmpty().allSatisfy(panel -> {
                assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString()).isEqualTo(prometheus.get("uid"));
                assertThat(panel.path("targets")).as(panel.path("title").asString()).isNotEmpty()
                        .allSatisfy(target -> assertThat(target.path("expr").asString()).isNotBlank());
            });
        }
    }
}
