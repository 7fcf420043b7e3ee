package com.su7.console.launch;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusSamplesTests {

    private static final String SCRAPE = """
            # HELP su7_messaging_dead_letters unresolved dead letters kept by this service
            # TYPE su7_messaging_dead_letters gauge
            su7_messaging_dead_letters{consumer="app-requests",reason="InvalidRequest",state="OPEN",topic="app.preorder-requests"} 3.0
            su7_messaging_dead_letters_oldest_age_seconds{consumer="app-requests"} 12.0
            su7_messaging_event_age_seconds_bucket{consumer="eta",topic="production.unit-built",le="0.1"} 7
            su7_messaging_event_age_seconds_bucket{consumer="eta",topic="production.unit-built",le="+Inf"} 9
            jvm_threads_live_threads 42.0
            odd_label{text="a \\"quoted\\", comma, and a brace }"} 1.0 1700000000000
            """;

    @Test
    void readsTheSamplesOfTheNamedMetricsWithTheirLabels() {
        var samples = PrometheusSamples.of(SCRAPE, Set.of("su7_messaging_dead_letters", "su7_messaging_event_age_seconds_bucket"));

        assertThat(samples).extracting(PrometheusSamples.Sample::value).containsExactly(3.0, 7.0, 9.0);
        assertThat(samples.getFirst().labels()).containsEntry("state", "OPEN").containsEntry("topic", "app.preorder-requests");
        assertThat(samples.get(2).labels()).containsEntry("le", "+Inf");
    }

    @Test
    void readsEscapedLabelValuesAndIgnoresTimestampsAndUnlabelledMetricsItWasNotAskedFor() {
        assertThat(PrometheusSamples.of(SCRAPE, Set.of("odd_label", "jvm_threads_live_threads")))
                .containsExactly(new PrometheusSamples.Sample("jvm_threads_live_threads", Map.of(), 42.0),
                        new PrometheusSamples.Sample("odd_label", Map.of("text", "a \"quoted\", comma, and a brace }"), 1.0));
    }
}
