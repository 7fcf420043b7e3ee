package com.su7.simulation;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AppBackend.Sent SENT = new AppBackend.Sent("request-1", "sim-0000001", false, 0,
            Instant.parse("2026-03-28T10:00:00Z"));

    @Test
    void aScheduledPreorderShowsWhenItWasPlacedAndScheduledAndHowFarItsDateMovedEarlier() {
        JsonNode preorder = JSON.readTree("""
                {"id": "5f0c2a4e-1b7d-4c1e-9a55-0d6f3c2b8e11", "status": "DELIVERY_SCHEDULED", "placedAt": "2026-03-28T10:00:00Z", "eta": {"date": "2026-05-02"},
                 "etaHistory": [
                   {"at": "2026-03-28T10:00:00.250Z", "cause": "PLACED", "newEarliest": "2026-05-01", "newLatest": "2026-05-10"},
                   {"at": "2026-03-28T10:00:03Z", "cause": "BUILT", "newEarliest": "2026-05-03", "newLatest": "2026-05-03"},
                   {"at": "2026-03-28T10:00:05Z", "cause": "SCHEDULED", "newEarliest": "2026-05-02", "newLatest": "2026-05-02"}]}""");

        Outcome outcome = Outcome.of(preorder, SENT).orElseThrow();

        assertThat(outcome.preorderId()).isEqualTo("5f0c2a4e-1b7d-4c1e-9a55-0d6f3c2b8e11");
        assertThat(outcome.toFirstEta()).isEqualTo(Duration.ofMillis(250));
        assertThat(outcome.firstPromise()).isEqualTo(LocalDate.parse("2026-05-10"));
        assertThat(outcome.toScheduled()).contains(Duration.ofSeconds(5));
        assertThat(outcome.daysEarlier()).contains(8L);
    }

    @Test
    void aPreorderNotYetScheduledStillShowsWhenItWasPlaced() {
        JsonNode preorder = JSON.readTree("""
                {"status": "PLACED", "eta": {"earliest": "2026-05-01", "latest": "2026-05-10"},
                 "etaHistory": [{"at": "2026-03-28T10:00:01Z", "cause": "PLACED", "newEarliest": "2026-05-01", "newLatest": "2026-05-10"}]}""");

        Outcome outcome = Outcome.of(preorder, SENT).orElseThrow();

        assertThat(outcome.toFirstEta()).isEqualTo(Duration.ofSeconds(1));
        assertThat(outcome.daysEarlier()).isEmpty();
        assertThat(outcome.toScheduled()).isEmpty();
    }

    @Test
    void aPreorderWithoutHistoryIsNoOutcome() {
        assertThat(Outcome.of(JSON.readTree("{\"status\": \"PLACED\"}"), SENT)).isEmpty();
    }
}
