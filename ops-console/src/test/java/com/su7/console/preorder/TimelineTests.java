package com.su7.console.preorder;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ID = "0196f3a0-0000-7000-8000-000000000001";

    private static final JsonNode ORDERS = JSON.readTree("""
            {"id":"%s","customerId":"c-1","variant":"SU7_MAX","deliveryCity":"Shanghai","channel":"WEB",
             "placedAt":"2026-11-28T08:00:00Z","status":"DELIVERY_SCHEDULED","vin":"LSU7A","deliveryCenter":"Shanghai Hongqiao",
             "eta":{"date":"2026-12-20"},
             "etaHistory":[
               {"revision":1,"at":"2026-11-28T08:00:00.100Z","cause":"PLACED","newEarliest":"2026-12-18","newLatest":"2026-12-24"},
               {"revision":2,"at":"2026-11-28T08:00:05Z","cause":"SCHEDULED","oldEarliest":"2026-12-18","oldLatest":"2026-12-24",
                "newEarliest":"2026-12-20","newLatest":"2026-12-20"}]}""".formatted(ID));
    private static final JsonNode PRODUCTION = JSON.readTree("""
            {"preorderId":"%s","status":"DELIVERY_SCHEDULED","vin":"LSU7A","plant":"Beijing","builtAt":"2026-11-28T08:00:03Z",
             "deliveryCenter":"Shanghai Hongqiao","deliveryDate":"2026-12-20","deliveryRevision":1}""".formatted(ID));
    private static final JsonNode DELIVERY = JSON.readTree("""
            {"preorderId":"%s","status":"SCHEDULED","center":"Shanghai Hongqiao","vin":"LSU7A","deliveryDate":"2026-12-20",
             "revision":1}""".formatted(ID));

    @Test
    void theEventsOfAllThreeServicesInTimeOrder() {
        Timeline timeline = Timeline.of(ID, ORDERS, PRODUCTION, DELIVERY, List.of(), Map.of());

        assertThat(timeline.events()).extracting(Timeline.Event::event)
                .containsExactly("Placed", "EtaChanged r1", "UnitBuilt", "EtaChanged r2");
        assertThat(timeline.events().get(3).detail()).isEqualTo("SCHEDULED: 2026-12-18 – 2026-12-24 → 2026-12-20");
        assertThat(timeline.projections()).allSatisfy(aspect -> assertThat(aspect.agree()).as(aspect.name()).isTrue());
    }

    @Test
    void aServiceThatShowsAnotherDayOrHasNotSeenThePreorderIsMarkedAsDisagreeing() {
        JsonNode rescheduled = ((tools.jackson.databind.node.ObjectNode) DELIVERY.deepCopy()).put("deliveryDate", "2026-12-19").put("revision", 2);

        Timeline timeline = Timeline.of(ID, ORDERS, PRODUCTION, rescheduled, List.of(), Map.of());
        assertThat(timeline.projections()).filteredOn(aspect -> !aspect.agree()).extracting(Timeline.Aspect::name)
                .containsExactlyInAnyOrder("hand-over date", "schedule revision");

        Timeline unseen = Timeline.of(ID, ORDERS, PRODUCTION, null, List.of(), Map.of());
        assertThat(unseen.projections()).filteredOn(aspect -> !aspect.agree()).extracting(Timeline.Aspect::name)
                .contains("known", "stage", "VIN");
    }

    @Test
    void theServicesNamesOfOneStageAgree() {
        JsonNode queued = JSON.readTree("""
                {"preorderId":"%s","status":"QUEUED","deliveryRevision":0}""".formatted(ID));
        JsonNode awaiting = JSON.readTree("""
                {"preorderId":"%s","status":"AWAITING_UNIT","revision":0}""".formatted(ID));
        JsonNode placed = JSON.readTree("""
                {"id":"%s","status":"PLACED","placedAt":"2026-11-28T08:00:00Z"}""".formatted(ID));

        Timeline timeline = Timeline.of(ID, placed, queued, awaiting, List.of(), Map.of());
        assertThat(timeline.projections()).filteredOn(aspect -> aspect.name().equals("stage"))
                .singleElement().satisfies(stage -> assertThat(stage.agree()).isTrue());
    }

    @Test
    void aDeadLetterOfThePreorderIsOneOfItsEvents() {
        JsonNode letter = JSON.readTree("""
                {"service":"delivery","id":7,"consumer":"unit-built","topic":"production.unit-built","state":"OPEN",
                 "reason":"no delivery centre serves 'Atlantis'","createdAt":"2026-11-28T08:00:04Z"}""");

        Timeline timeline = Timeline.of(ID, ORDERS, PRODUCTION, DELIVERY, List.of(letter), Map.of());
        assertThat(timeline.events()).extracting(Timeline.Event::event).contains("Dead-lettered");
        assertThat(timeline.events()).filteredOn(event -> event.event().equals("Dead-lettered")).singleElement()
                .satisfies(event -> assertThat(event.service()).isEqualTo("delivery"));
    }

    @Test
    void aServiceThatDidNotAnswerIsNamedAndLeftOutOfTheComparison() {
        Timeline timeline = Timeline.of(ID, ORDERS, PRODUCTION, null, List.of(),
                Map.of("delivery", "delivery-service did not answer (Connection refused)"));

        assertThat(timeline.problems()).containsOnly(Map.entry("delivery", "delivery-service did not answer (Connection refused)"));
        assertThat(timeline.projections()).allSatisfy(aspect -> {
            assertThat(aspect.agree()).as(aspect.name()).isTrue();
            assertThat(aspect.values()).as(aspect.name()).doesNotContainKey("delivery");
        });
    }
}
