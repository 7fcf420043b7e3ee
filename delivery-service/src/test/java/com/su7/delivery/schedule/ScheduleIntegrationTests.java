package com.su7.delivery.schedule;

import com.su7.contract.Topics;
import com.su7.delivery.DeliveryIntegrationTest;
import com.su7.delivery.TestClock;
import com.su7.delivery.TestEvents;
import com.su7.events.DeliveryScheduled;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.messaging.MessagingProperties;
import com.su7.localstack.KafkaPrincipal;
import com.su7.testsupport.SharedLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.su7.delivery.DeliveryTestSupport.PATIENCE;
import static com.su7.delivery.DeliveryTestSupport.createCenter;
import static com.su7.delivery.DeliveryTestSupport.header;
import static com.su7.delivery.DeliveryTestSupport.recordsWithKey;
import static com.su7.delivery.DeliveryTestSupport.scheduledEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scheduling from real PreorderPlaced and UnitBuilt records, read back as DeliveryScheduled off the topic. */
@DeliveryIntegrationTest
class ScheduleIntegrationTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 10);

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MessagingProperties messaging;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    TestClock clock;

    @Test
    void schedulesABuiltUnitAtItsCentreAfterTransitAndPublishesRevisionOne() throws Exception {
        String city = createCenter(jdbc, 10, 2);
        String preorderId = TestEvents.preorderId();
        String vin = TestEvents.vin();
        kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusOf(preorderId)).isEqualTo("AWAITING_UNIT"));

        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, vin, clock.instant())).get();

        DeliveryScheduled scheduled = awaitEvents(preorderId, 1).getFirst();
        assertThat(scheduled.getVin()).isEqualTo(vin);
        assertThat(scheduled.getDeliveryCenter()).isEqualTo(city + " Delivery Center");
        assertThat(scheduled.getDeliveryDate()).isEqualTo(TODAY.plusDays(2));
        assertThat(scheduled.getRevision()).isEqualTo(1);
        assertThat(scheduled.getPreorderId()).isEqualTo(preorderId);
    }

    @Test
    void schedulesEachBuiltUnitExactlyOnceDespiteDuplicatesAndRedeliveries() throws Exception {
        String city = createCenter(jdbc, 10, 1);
        String preorderId = TestEvents.preorderId();
        PreorderPlaced placed = TestEvents.placed(preorderId, city, clock.instant());
        UnitBuilt built = TestEvents.built(preorderId, TestEvents.vin(), clock.instant());

        kafka.send(Topics.PREORDER_PLACED, preorderId, placed).get();
        kafka.send(Topics.PREORDER_PLACED, preorderId, placed).get();
        kafka.send(Topics.PREORDER_PLACED, preorderId, PreorderPlaced.newBuilder(placed).setEventId(TestEvents.preorderId()).build()).get();
        kafka.send(Topics.UNIT_BUILT, preorderId, built).get();
        kafka.send(Topics.UNIT_BUILT, preorderId, built).get();
        // production-service publishing the same unit again (a new event id): the inbox cannot tell, the schedule can
        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.copyWithNewEventId(built)).get();

        awaitEvents(preorderId, 1);
        awaitConsumed();
        assertThat(scheduledEvents(messaging, preorderId)).hasSize(1);
        assertThat(bookedAt(city)).containsExactly(Map.entry(TODAY.plusDays(1), 1));
    }

    @Test
    void replayingBothTopicsAfterARestartSchedulesNothingTwiceEvenWithTheProcessedIdsForgotten() throws Exception {
        String city = createCenter(jdbc, 10, 1);
        List<String> preorderIds = IntStream.range(0, 5).mapToObj(i -> TestEvents.preorderId()).toList();
        List<String> eventIds = new ArrayList<>();
        for (String preorderId : preorderIds) {
            PreorderPlaced placed = TestEvents.placed(preorderId, city, clock.instant());
            UnitBuilt built = TestEvents.built(preorderId, TestEvents.vin(), clock.instant());
            eventIds.add(placed.getEventId());
            eventIds.add(built.getEventId());
            kafka.send(Topics.PREORDER_PLACED, preorderId, placed).get();
            kafka.send(Topics.UNIT_BUILT, preorderId, built).get();
        }
        for (String preorderId : preorderIds) {
            awaitEvents(preorderId, 1);
        }
        awaitConsumed();

        // As if the database had lost the inbox's memory of these events, then the service restarted from offset 0.
        jdbc.update("delete from processed_event where event_id = any(?)", (Object) eventIds.toArray(String[]::new));
        replayFromTheBeginning(PreorderPlacedListener.CONSUMER, Topics.PREORDER_PLACED);
        replayFromTheBeginning(UnitBuiltListener.CONSUMER, Topics.UNIT_BUILT);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from processed_event where event_id = any(?)", Integer.class,
                (Object) eventIds.toArray(String[]::new))).as("the replayed events were consumed again").isEqualTo(10));
        awaitConsumed();
        for (String preorderId : preorderIds) {
            assertThat(scheduledEvents(messaging, preorderId)).as("events of %s", preorderId).hasSize(1);
        }
        assertThat(bookedAt(city)).containsExactly(Map.entry(TODAY.plusDays(1), 5));
    }

    @Test
    void noCentreIsBookedPastItsDailyCapacity() throws Exception {
        String city = createCenter(jdbc, 2, 2);
        List<String> preorderIds = IntStream.range(0, 7).mapToObj(i -> TestEvents.preorderId()).toList();
        for (String preorderId : preorderIds) {
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
        }
        for (String preorderId : preorderIds) {
            kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();
        }

        List<LocalDate> dates = new ArrayList<>();
        for (String preorderId : preorderIds) {
            dates.add(awaitEvents(preorderId, 1).getFirst().getDeliveryDate());
        }
        Map<LocalDate, Long> perDay = dates.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(perDay).as("two a day from build date + transit, the rest spilled to later days").containsOnly(
                Map.entry(TODAY.plusDays(2), 2L), Map.entry(TODAY.plusDays(3), 2L),
                Map.entry(TODAY.plusDays(4), 2L), Map.entry(TODAY.plusDays(5), 1L));
        assertThat(bookedAt(city)).containsOnly(
                Map.entry(TODAY.plusDays(2), 2), Map.entry(TODAY.plusDays(3), 2),
                Map.entry(TODAY.plusDays(4), 2), Map.entry(TODAY.plusDays(5), 1));
    }

    @Test
    void aUnitBuiltBeforeItsPreorderArrivedIsHeldAndScheduledOnceItDoes() throws Exception {
        String city = createCenter(jdbc, 10, 3);
        String preorderId = TestEvents.preorderId();
        String vin = TestEvents.vin();
        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, vin, clock.instant())).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusOf(preorderId)).isEqualTo("HELD"));
        awaitConsumed();
        assertThat(scheduledEvents(messaging, preorderId)).isEmpty();
        assertThat(recordsWithKey(Topics.UNIT_BUILT_DLT, preorderId)).as("held, not dead-lettered").isEmpty();

        kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant().minusSeconds(3600))).get();

        DeliveryScheduled scheduled = awaitEvents(preorderId, 1).getFirst();
        assertThat(scheduled.getVin()).isEqualTo(vin);
        assertThat(scheduled.getDeliveryDate()).isEqualTo(TODAY.plusDays(3));
        assertThat(scheduled.getRevision()).isEqualTo(1);
        assertThat(statusOf(preorderId)).isEqualTo("SCHEDULED");
    }

    @Test
    void aUnitHeldPastItsHandOverDayIsScheduledFromTodayOn() throws Exception {
        String city = createCenter(jdbc, 10, 1);
        String preorderId = TestEvents.preorderId();
        Instant builtTenDaysAgo = clock.instant().minus(java.time.Duration.ofDays(10));
        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), builtTenDaysAgo)).get();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusOf(preorderId)).isEqualTo("HELD"));

        kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, builtTenDaysAgo.minusSeconds(60))).get();

        assertThat(awaitEvents(preorderId, 1).getFirst().getDeliveryDate()).isEqualTo(TODAY);
    }

    @Test
    void aPreorderForACityNoCentreServesGoesToTheFallbackCentre() throws Exception {
        String preorderId = TestEvents.preorderId();
        kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, "Atlantis", clock.instant())).get();
        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();

        assertThat(awaitEvents(preorderId, 1).getFirst().getDeliveryCenter()).isEqualTo("Beijing Delivery Center");
        assertThat(jdbc.queryForObject("select requested_city from delivery_preorder where preorder_id = ?", String.class, preorderId))
                .isEqualTo("Atlantis");
    }

    @Test
    void aSecondDifferentUnitForTheSamePreorderIsDeadLetteredWithTheReason() throws Exception {
        String city = createCenter(jdbc, 10, 1);
        String preorderId = TestEvents.preorderId();
        String firstVin = TestEvents.vin();
        kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, firstVin, clock.instant())).get();
        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> deadLetters = recordsWithKey(Topics.UNIT_BUILT_DLT, preorderId);
            assertThat(deadLetters).hasSize(1);
            assertThat(header(deadLetters.getFirst(), "kafka_dlt-exception-message")).contains("already has unit " + firstVin);
        });
        assertThat(scheduledEvents(messaging, preorderId)).singleElement()
                .satisfies(event -> assertThat(event.getVin()).isEqualTo(firstVin));
    }

    private List<DeliveryScheduled> awaitEvents(String preorderId, int count) {
        List<DeliveryScheduled> events = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            events.clear();
            events.addAll(scheduledEvents(messaging, preorderId));
            assertThat(events).hasSize(count);
        });
        return events;
    }

    private String statusOf(String preorderId) {
        return jdbc.queryForList("select status from delivery_preorder where preorder_id = ?", String.class, preorderId)
                .stream().findFirst().orElse(null);
    }

    private Map<LocalDate, Integer> bookedAt(String city) {
        return jdbc.query("select day, load from center_day_load where city = ? and load > 0", rs -> {
            Map<LocalDate, Integer> loads = new java.util.HashMap<>();
            while (rs.next()) {
                loads.put(rs.getObject("day", LocalDate.class), rs.getInt("load"));
            }
            return loads;
        }, city);
    }

    /** Both groups have committed everything on their topics, and the outbox has published everything. */
    private void awaitConsumed() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(lag(PreorderPlacedListener.CONSUMER, Topics.PREORDER_PLACED)).isZero();
            assertThat(lag(UnitBuiltListener.CONSUMER, Topics.UNIT_BUILT)).isZero();
            assertThat(jdbc.queryForObject("select count(*) from outbox_message", Integer.class)).isZero();
        });
    }

    private long lag(String group, String topic) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(partition -> new TopicPartition(topic, partition), partition -> OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata position = committed.get(end.getKey());
                lag += end.getValue().offset() - (position == null ? 0 : position.offset());
            }
            return lag;
        }
    }

    private void replayFromTheBeginning(String group, String topic) throws Exception {
        var container = listeners.getListenerContainer(group);
        container.stop();
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetAndMetadata> beginning = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(partition -> new TopicPartition(topic, partition), partition -> new OffsetAndMetadata(0)));
            // The group must be empty for its offsets to be reset: wait for the stopped consumer to have left.
            await().atMost(PATIENCE).ignoreExceptions()
                    .untilAsserted(() -> admin.alterConsumerGroupOffsets(group, beginning).all().get());
        } finally {
            container.start();
        }
    }

    private static Admin admin() {
        return Admin.create(SharedLocalStack.get().kafkaClientSettings(KafkaPrincipal.ADMIN));
    }
}
