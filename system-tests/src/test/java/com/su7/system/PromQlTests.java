package com.su7.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromQlTests {

    @Test
    void findsTheMetricOfASelectorWithItsMatchersAndRange() {
        assertThat(PromQl.metricNames("rate(http_server_requests_seconds_count{uri=\"/api/preorders\", method=~\"POST|PUT\"}[5m])"))
                .containsExactly("http_server_requests_seconds_count");
    }

    @Test
    void leavesOutFunctionsAggregationsAndTheLabelsTheyGroupBy() {
        assertThat(PromQl.metricNames("""
                histogram_quantile(0.99, sum by (service, le) (rate(su7_messaging_event_age_seconds_bucket[5m])))
                / ignoring(le) group_left(consumer) max without (instance) (su7_messaging_circuit_open)
                + on (service) topk(3, count_values("value", su7_outbox_backlog))"""))
                .containsExactly("su7_messaging_event_age_seconds_bucket", "su7_messaging_circuit_open", "su7_outbox_backlog");
    }

    @Test
    void anAggregationMayNameItsGroupingAfterItsArgument() {
        assertThat(PromQl.metricNames("sum(rate(su7_orders_placed_total[1m])) by (channel)")).containsExactly("su7_orders_placed_total");
    }

    @Test
    void takesRecordingRuleNamesAndSubqueries() {
        assertThat(PromQl.metricNames("su7:consumer_lag:max > 1000 and deriv(su7:consumer_lag:max[10m:1m]) > 0"))
                .containsExactly("su7:consumer_lag:max");
    }

    @Test
    void skipsStringsNumbersDurationsKeywordsAndComments() {
        assertThat(PromQl.metricNames("""
                # kafka_consumer_records_lag in a comment is not read
                label_replace(kafka_consumer_fetch_manager_records_lag_max, "consumer", "$1", "client_id", "consumer-(.+)-[0-9]+")
                > bool 1e3 or up offset 5m unless vector(Inf) and su7_health_readiness @ start() == 0x0"""))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max", "up", "su7_health_readiness");
    }

    @Test
    void skipsGrafanasVariables() {
        assertThat(PromQl.metricNames("sum by (service) (rate(su7_delivery_scheduled_total{service=~\"$service\"}[$__rate_interval])) * ${scale}"))
                .containsExactly("su7_delivery_scheduled_total");
    }

    @Test
    void refusesWhatItCannotReadRight() {
        assertThatThrownBy(() -> PromQl.metricNames("{__name__=~\"su7_.*\"}")).hasMessageContaining("__name__");
        assertThatThrownBy(() -> PromQl.metricNames("sum(rate(x[5m])")).hasMessageContaining("without their )");
        assertThatThrownBy(() -> PromQl.metricNames("rate(x[5m)")).hasMessageContaining("without its ]");
        assertThatThrownBy(() -> PromQl.metricNames("x{job=\"a}")).hasMessageContaining("string without its closing");
        assertThatThrownBy(() -> PromQl.metricNames("x)")).hasMessageContaining(") without its (");
    }
}
