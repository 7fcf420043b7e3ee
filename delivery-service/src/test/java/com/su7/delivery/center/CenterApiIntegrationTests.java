package com.su7.delivery.center;

import com.su7.contract.DeliveryCities;
import com.su7.contract.Topics;
import com.su7.delivery.DeliveryIntegrationTest;
import com.su7.delivery.DeliveryTestSupport.Response;
import com.su7.delivery.TestClock;
import com.su7.delivery.TestEvents;
import com.su7.events.DeliveryScheduled;
import com.su7.messaging.MessagingProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.su7.delivery.DeliveryTestSupport.PATIENCE;
import static com.su7.delivery.DeliveryTestSupport.createCenter;
import static com.su7.delivery.DeliveryTestSupport.get;
import static com.su7.delivery.DeliveryTestSupport.put;
import static com.su7.delivery.DeliveryTestSupport.scheduledEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DeliveryIntegrationTest
class CenterApiIntegrationTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 10);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    MessagingProperties messaging;
    @Autowired
    TestClock clock;

    @Test
    void listsACentrePerCityOfTheContractWithItsTransitDaysAndANetworkCapacityOfAbout1500ADay() {
        Response response = get(port, "/api/delivery/centers");

        assertThat(response.status()).isEqualTo(200);
        Map<String, JsonNode> byCity = new HashMap<>();
        response.body().forEach(center -> byCity.put(center.get("city").asString(), center));
        // The same table as orders' and production's: the contract's.
        assertThat(DeliveryCities.ALL).allSatisfy(city -> assertThat(byCity.get(city.name()).get("transitDays").asInt())
                .as("transit days to %s", city.name()).isEqualTo(city.transitDays()));
        assertThat(byCity.get("Beijing").get("name").asString()).isEqualTo("Beijing Delivery Center");
        assertThat(DeliveryCities.ALL.stream().mapToInt(city -> byCity.get(city.name()).get("dailyCapacity").asInt()).sum()).isEqualTo(1500);
        assertThat(byCity.get("Shanghai").get("dailyCapacity").asInt()).isGreaterThan(byCity.get("Tianjin").get("dailyCapacity").asInt());
    }

    @Test
    void findsACentreByItsCityIgnoringCaseAndPunctuation() {
        assertThat(get(port, "/api/delivery/centers/{city}", "xian").body().get("city").asString()).isEqualTo("Xi'an");
        assertThat(get(port, "/api/delivery/centers/{city}", "Xi'an").body().get("name").asString()).isEqualTo("Xi'an Delivery Center");
    }

    @Test
    void changesACentresCapacityAndRecordsWhoWhenAndWhy() {
        String city = createCenter(jdbc, 40, 2);

        Response response = put(port, """
                {"dailyCapacity": 55, "changedBy": "ops.li", "reason": "second hand-over bay opened"}""",
                "/api/delivery/centers/{city}", city);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("center").get("dailyCapacity").asInt()).isEqualTo(55);
        assertThat(response.body().get("previousCapacity").asInt()).isEqualTo(40);
        assertThat(get(port, "/api/delivery/centers/{city}", city).body().get("dailyCapacity").asInt()).isEqualTo(55);
        JsonNode changes = get(port, "/api/delivery/centers/{city}/capacity-changes", city).body();
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).get("previousCapacity").asInt()).isEqualTo(40);
        assertThat(changes.get(0).get("newCapacity").asInt()).isEqualTo(55);
        assertThat(changes.get(0).get("changedBy").asString()).isEqualTo("ops.li");
        assertThat(changes.get(0).get("reason").asString()).isEqualTo("second hand-over bay opened");
        assertThat(changes.get(0).get("changedAt").asString()).isEqualTo(TestClock.START.toString());
    }

    @Test
    void refusesInvalidCapacityUpdatesWithProblemDetailsNamingEachField() {
        String city = createCenter(jdbc, 40, 2);

        Response blank = put(port, """
                {"dailyCapacity": 0, "changedBy": " ", "reason": ""}""", "/api/delivery/centers/{city}", city);
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.contentType()).startsWith("application/problem+json");
        assertThat(fields(blank)).containsExactly("changedBy", "dailyCapacity", "reason");
        assertThat(blank.body().get("errors").get(1).get("message").asString()).contains("at least 1");
        assertThat(blank.body().get("type").asString()).isEqualTo("urn:su7:problem:invalid-request");
        assertThat(blank.body().get("detail").asString()).contains("dailyCapacity: must be at least 1");

        Response tooMany = put(port, """
                {"dailyCapacity": 100000, "changedBy": "ops", "reason": "typo"}""", "/api/delivery/centers/{city}", city);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(fields(tooMany)).containsExactly("dailyCapacity");
        assertThat(tooMany.body().get("errors").get(0).get("message").asString()).contains("at most 5000");

        Response negative = put(port, """
                {"dailyCapacity": -5, "changedBy": "ops", "reason": "typo"}""", "/api/delivery/centers/{city}", city);
        assertThat(negative.status()).isEqualTo(400);
        assertThat(fields(negative)).containsExactly("dailyCapacity");

        Response missing = put(port, """
                {"changedBy": "ops", "reason": "forgot the number"}""", "/api/delivery/centers/{city}", city);
        assertThat(fields(missing)).containsExactly("dailyCapacity");
        assertThat(missing.body().get("errors").get(0).get("message").asString()).isEqualTo("is required");

        Response notANumber = put(port, """
                {"dailyCapacity": "many", "changedBy": "ops", "reason": "x"}""", "/api/delivery/centers/{city}", city);
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.contentType()).startsWith("application/problem+json");
        assertThat(fields(notANumber)).containsExactly("dailyCapacity");

        Response notJson = put(port, "{", "/api/delivery/centers/{city}", city);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(fields(notJson)).containsExactly("body");

        assertThat(get(port, "/api/delivery/centers/{city}", city).body().get("dailyCapacity").asInt()).as("unchanged").isEqualTo(40);
        assertThat(get(port, "/api/delivery/centers/{city}/capacity-changes", city).body()).isEmpty();
    }

    @Test
    void anUnknownCityIsNotFound() {
        Response update = put(port, """
                {"dailyCapacity": 10, "changedBy": "ops", "reason": "x"}""", "/api/delivery/centers/{city}", "Atlantis");

        assertThat(update.status()).isEqualTo(404);
        assertThat(update.contentType()).startsWith("application/problem+json");
        assertThat(update.body().get("detail").asString()).contains("Atlantis");
        assertThat(get(port, "/api/delivery/centers/{city}", "Atlantis").status()).isEqualTo(404);
    }

    @Test
    void raisingCapacityMovesBookedHandOversEarlierWithHigherRevisionsFirstComeFirst() throws Exception {
        String city = createCenter(jdbc, 2, 2);
        List<String> preorderIds = IntStream.range(0, 5).mapToObj(i -> TestEvents.preorderId()).toList();
        for (int i = 0; i < preorderIds.size(); i++) {
            String preorderId = preorderIds.get(i);
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant().minusSeconds(600 - i))).get();
            kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();
        }
        Map<String, DeliveryScheduled> first = new HashMap<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            Map<String, List<DeliveryScheduled>> published = scheduledEvents(messaging, java.util.Set.copyOf(preorderIds));
            for (String preorderId : preorderIds) {
                List<DeliveryScheduled> events = published.getOrDefault(preorderId, List.of());
                assertThat(events).hasSize(1);
                first.put(preorderId, events.getFirst());
            }
        });
        assertThat(first.values().stream().map(DeliveryScheduled::getDeliveryDate).sorted().toList())
                .containsExactly(TODAY.plusDays(2), TODAY.plusDays(2), TODAY.plusDays(3), TODAY.plusDays(3), TODAY.plusDays(4));

        Response raised = put(port, """
                {"dailyCapacity": 4, "changedBy": "ops.wang", "reason": "weekend shift"}""", "/api/delivery/centers/{city}", city);

        assertThat(raised.status()).isEqualTo(200);
        assertThat(raised.body().get("handOversMovedEarlier").asInt()).isEqualTo(3);
        Map<String, List<DeliveryScheduled>> all = new HashMap<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            all.clear();
            all.putAll(scheduledEvents(messaging, java.util.Set.copyOf(preorderIds)));
            assertThat(all.values().stream().mapToInt(List::size).sum()).isEqualTo(8);
        });
        List<LocalDate> finalDates = new ArrayList<>();
        for (String preorderId : preorderIds) {
            List<DeliveryScheduled> events = all.get(preorderId);
            DeliveryScheduled latest = events.getLast();
            finalDates.add(latest.getDeliveryDate());
            if (events.size() == 2) {
                // what orders-service accepts: a higher revision with an earlier (or equal) date
                assertThat(latest.getRevision()).isEqualTo(2);
                assertThat(latest.getDeliveryDate()).isBefore(events.getFirst().getDeliveryDate());
                assertThat(latest.getVin()).isEqualTo(events.getFirst().getVin());
            } else {
                assertThat(events.getFirst().getDeliveryDate()).as("already at its earliest day").isEqualTo(TODAY.plusDays(2));
            }
            assertThat(latest.getDeliveryDate()).as("never before build date + transit").isAfterOrEqualTo(TODAY.plusDays(2));
        }
        assertThat(finalDates.stream().sorted().toList())
                .containsExactly(TODAY.plusDays(2), TODAY.plusDays(2), TODAY.plusDays(2), TODAY.plusDays(2), TODAY.plusDays(3));
        assertThat(jdbc.queryForList("select load from center_day_load where city = ? and load > 0 order by day", Integer.class, city))
                .containsExactly(4, 1);

        // First come first: the one left on day +3 is the one that was last in line (latest date, then latest placed).
        String last = preorderIds.stream()
                .max(java.util.Comparator.comparing((String id) -> first.get(id).getDeliveryDate())
                        .thenComparing(preorderIds::indexOf))
                .orElseThrow();
        assertThat(all.get(last).getLast().getDeliveryDate()).isEqualTo(TODAY.plusDays(3));
    }

    @Test
    void raisesWhileUnitsArriveKeepTheBookingsTheLoadsAndThePublishedRevisionsConsistent() throws Exception {
        String city = createCenter(jdbc, 3, 1);
        List<String> preorderIds = IntStream.range(0, 60).mapToObj(i -> TestEvents.preorderId()).toList();
        for (String preorderId : preorderIds) {
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
        }
        for (int i = 0; i < preorderIds.size(); i++) {
            String preorderId = preorderIds.get(i);
            kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant()));
            if (i % 12 == 11) {
                assertThat(put(port, """
                        {"dailyCapacity": %d, "changedBy": "ops", "reason": "ramp-up"}""".formatted(4 + i / 12),
                        "/api/delivery/centers/{city}", city).status()).isEqualTo(200);
            }
        }
        kafka.flush();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery_preorder where center_city = ? and status = 'SCHEDULED'", Integer.class, city)).isEqualTo(60));
        assertThat(jdbc.queryForList("""
                select l.day from center_day_load l
                left join (select delivery_date, count(*) as booked from delivery_preorder
                           where center_city = ? and status = 'SCHEDULED' group by delivery_date) b on b.delivery_date = l.day
                where l.city = ? and l.load <> coalesce(b.booked, 0)""", LocalDate.class, city, city))
                .as("each day's load is the number of hand-overs booked on it").isEmpty();
        assertThat(jdbc.queryForObject("select max(load) from center_day_load where city = ?", Integer.class, city)).isLessThanOrEqualTo(8);
        await().atMost(PATIENCE).untilAsserted(() -> {
            Map<String, List<DeliveryScheduled>> published = scheduledEvents(messaging, java.util.Set.copyOf(preorderIds));
            for (String preorderId : preorderIds) {
                List<DeliveryScheduled> events = published.getOrDefault(preorderId, List.of());
                Map<String, Object> row = jdbc.queryForMap("select delivery_date, revision from delivery_preorder where preorder_id = ?", preorderId);
                assertThat(events).as("events of %s", preorderId).hasSize((Integer) row.get("revision"));
                for (int revision = 1; revision < events.size(); revision++) {
                    assertThat(events.get(revision).getRevision()).isEqualTo(revision + 1);
                    assertThat(events.get(revision).getDeliveryDate()).isBefore(events.get(revision - 1).getDeliveryDate());
                }
                assertThat(events.getLast().getDeliveryDate()).isEqualTo(((java.sql.Date) row.get("delivery_date")).toLocalDate());
            }
        });
    }

    @Test
    void loweringCapacityKeepsEveryPromisedDateAndOnlyLimitsNewBookings() throws Exception {
        String city = createCenter(jdbc, 3, 1);
        List<String> preorderIds = IntStream.range(0, 4).mapToObj(i -> TestEvents.preorderId()).toList();
        for (String preorderId : preorderIds.subList(0, 3)) {
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
            kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery_preorder where center_city = ? and status = 'SCHEDULED'", Integer.class, city)).isEqualTo(3));

        assertThat(put(port, """
                {"dailyCapacity": 1, "changedBy": "ops", "reason": "staff shortage"}""", "/api/delivery/centers/{city}", city).status())
                .isEqualTo(200);
        String late = preorderIds.get(3);
        kafka.send(Topics.PREORDER_PLACED, late, TestEvents.placed(late, city, clock.instant())).get();
        kafka.send(Topics.UNIT_BUILT, late, TestEvents.built(late, TestEvents.vin(), clock.instant())).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(scheduledEvents(messaging, late)).hasSize(1));
        assertThat(scheduledEvents(messaging, late).getFirst().getDeliveryDate()).isEqualTo(TODAY.plusDays(2));
        for (String preorderId : preorderIds.subList(0, 3)) {
            assertThat(scheduledEvents(messaging, preorderId)).singleElement()
                    .satisfies(event -> assertThat(event.getDeliveryDate()).isEqualTo(TODAY.plusDays(1)));
        }
    }

    private static List<String> fields(Response response) {
        List<String> fields = new ArrayList<>();
        response.body().get("errors").forEach(error -> fields.add(error.get("field").asString()));
        return fields;
    }
}
