package com.su7.delivery.schedule;

import com.su7.contract.Topics;
import com.su7.delivery.DeliveryIntegrationTest;
import com.su7.delivery.TestClock;
import com.su7.delivery.TestEvents;
import com.su7.events.DeliveryScheduled;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import com.su7.messaging.MessagingProperties;
import com.su7.messaging.inbox.Received;
import com.su7.messaging.tracing.EventTrace;
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
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/** Scheduling from real PreorderPlaced, UnitBuilt and PreorderCancelled records, read back as DeliveryScheduled off the topic. */
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
    @Autowired
    Schedule schedule;
    @Autowired
    ScheduleQueries queries;
    @Autowired
    TransactionTemplate transactions;

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

    @Test
    void cancellingAScheduledPreorderFreesItsSlotAndMovesTheLaterHandOversAtItsCentreEarlier() throws Exception {
        String city = createCenter(jdbc, 1, 1);
        String otherCity = createCenter(jdbc, 1, 1);
        List<String> here = scheduledOneADay(city, 4);
        List<String> there = scheduledOneADay(otherCity, 2);
        String cancelled = here.get(1);

        kafka.send(Topics.PREORDER_CANCELLED, cancelled, TestEvents.cancelled(cancelled, clock.instant())).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(scheduledEvents(messaging, here.get(3))).hasSize(2));
        awaitConsumed();
        Map<String, List<DeliveryScheduled>> events = scheduledEvents(messaging, Set.copyOf(allOf(here, there)));
        assertThat(events.get(here.get(0))).as("before the freed slot: stays").singleElement()
                .satisfies(event -> assertThat(event.getDeliveryDate()).isEqualTo(TODAY.plusDays(1)));
        assertThat(events.get(cancelled)).as("nothing more for the cancelled preorder").hasSize(1);
        for (int i = 2; i < 4; i++) {
            List<DeliveryScheduled> moved = events.get(here.get(i));
            assertThat(moved).as("hand-over %d", i).hasSize(2);
            assertThat(moved.getLast().getRevision()).isEqualTo(2);
            assertThat(moved.getLast().getDeliveryDate()).isEqualTo(TODAY.plusDays(i));
            assertThat(moved.getLast().getVin()).isEqualTo(moved.getFirst().getVin());
        }
        for (int i = 0; i < 2; i++) {
            assertThat(events.get(there.get(i))).as("another centre's hand-over").singleElement()
                    .satisfies(event -> assertThat(event.getRevision()).isEqualTo(1));
        }
        assertThat(statusOf(cancelled)).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForObject("select delivery_date from delivery_preorder where preorder_id = ?", LocalDate.class, cancelled)).isNull();
        assertThat(bookedAt(city)).containsOnly(
                Map.entry(TODAY.plusDays(1), 1), Map.entry(TODAY.plusDays(2), 1), Map.entry(TODAY.plusDays(3), 1));
        assertThat(bookedAt(otherCity)).containsOnly(Map.entry(TODAY.plusDays(1), 1), Map.entry(TODAY.plusDays(2), 1));
    }

    @Test
    void aPreorderCancelledBeforeItsUnitIsBuiltIsNeverScheduled() throws Exception {
        String city = createCenter(jdbc, 10, 1);
        String preorderId = TestEvents.preorderId();
        kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant())).get();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusOf(preorderId)).isEqualTo("AWAITING_UNIT"));
        kafka.send(Topics.PREORDER_CANCELLED, preorderId, TestEvents.cancelled(preorderId, clock.instant())).get();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusOf(preorderId)).isEqualTo("CANCELLED"));

        String vin = TestEvents.vin();
        kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, vin, clock.instant())).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(vinOf(preorderId)).as("kept: it was built").isEqualTo(vin));
        awaitConsumed();
        assertThat(statusOf(preorderId)).isEqualTo("CANCELLED");
        assertThat(scheduledEvents(messaging, preorderId)).isEmpty();
        assertThat(bookedAt(city)).isEmpty();
        assertThat(recordsWithKey(Topics.UNIT_BUILT_DLT, preorderId)).as("a valid event: not dead-lettered").isEmpty();
    }

    @Test
    void aPreorderCancelledBeforeItsPreorderPlacedArrivedIsNeverScheduled() throws Exception {
        String city = createCenter(jdbc, 10, 1);
        // the cancellation first of all; and one whose unit came first, held when the cancellation came
        String cancelledFirst = TestEvents.preorderId();
        String heldFirst = TestEvents.preorderId();
        kafka.send(Topics.PREORDER_CANCELLED, cancelledFirst, TestEvents.cancelled(cancelledFirst, clock.instant())).get();
        kafka.send(Topics.UNIT_BUILT, heldFirst, TestEvents.built(heldFirst, TestEvents.vin(), clock.instant())).get();
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(statusOf(cancelledFirst)).isEqualTo("CANCELLED");
            assertThat(statusOf(heldFirst)).isEqualTo("HELD");
        });
        kafka.send(Topics.PREORDER_CANCELLED, heldFirst, TestEvents.cancelled(heldFirst, clock.instant())).get();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusOf(heldFirst)).isEqualTo("CANCELLED"));

        for (String preorderId : List.of(cancelledFirst, heldFirst)) {
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant().minusSeconds(60))).get();
        }
        kafka.send(Topics.UNIT_BUILT, cancelledFirst, TestEvents.built(cancelledFirst, TestEvents.vin(), clock.instant())).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(vinOf(cancelledFirst)).isNotNull());
        awaitConsumed();
        for (String preorderId : List.of(cancelledFirst, heldFirst)) {
            assertThat(statusOf(preorderId)).isEqualTo("CANCELLED");
            assertThat(scheduledEvents(messaging, preorderId)).as("events of %s", preorderId).isEmpty();
            assertThat(recordsWithKey(Topics.PREORDER_PLACED_DLT, preorderId)).isEmpty();
            assertThat(recordsWithKey(Topics.UNIT_BUILT_DLT, preorderId)).isEmpty();
        }
        assertThat(bookedAt(city)).isEmpty();
    }

    @Test
    void aUnitReassignedFromACancelledPreorderIsScheduledForItsNewPreorderAndIsNoNewBuild() throws Exception {
        String city = createCenter(jdbc, 1, 1);
        // a moment no other test builds at (factory date TODAY: days start at 16:00 UTC)
        Instant builtAt = Instant.parse("2026-06-09T17:17:17.017Z");
        String cancelled = TestEvents.preorderId();
        String next = TestEvents.preorderId();
        String vin = TestEvents.vin();
        kafka.send(Topics.PREORDER_PLACED, cancelled, TestEvents.placed(cancelled, city, builtAt.minusSeconds(3600))).get();
        kafka.send(Topics.UNIT_BUILT, cancelled, TestEvents.built(cancelled, vin, builtAt)).get();
        kafka.send(Topics.PREORDER_PLACED, next, TestEvents.placed(next, city, builtAt.minusSeconds(60))).get();
        assertThat(awaitEvents(cancelled, 1).getFirst().getDeliveryDate()).isEqualTo(TODAY.plusDays(1));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusOf(next)).isEqualTo("AWAITING_UNIT"));
        assertThat(queries.unitsBuilt(builtAt, builtAt.plusMillis(1))).isEqualTo(1);

        kafka.send(Topics.PREORDER_CANCELLED, cancelled, TestEvents.cancelled(cancelled, clock.instant())).get();
        kafka.send(Topics.UNIT_BUILT, next, TestEvents.reassigned(next, vin, builtAt, cancelled)).get();

        // Two topics race: the unit is scheduled into the freed slot at once, or (the cancellation not applied yet)
        // behind it and then moved earlier into it when the cancellation frees it. Either way it ends there.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(scheduledEvents(messaging, next)).isNotEmpty()
                .last().extracting(DeliveryScheduled::getDeliveryDate).as("the slot the cancellation freed").isEqualTo(TODAY.plusDays(1)));
        List<DeliveryScheduled> scheduled = scheduledEvents(messaging, next);
        assertThat(scheduled).extracting(DeliveryScheduled::getVin).containsOnly(vin);
        assertThat(scheduled).extracting(DeliveryScheduled::getRevision).as("revision 1, or 2 once moved earlier")
                .isEqualTo(IntStream.rangeClosed(1, scheduled.size()).boxed().toList());
        assertThat(statusOf(cancelled)).isEqualTo("CANCELLED");
        assertThat(bookedAt(city)).containsOnly(Map.entry(TODAY.plusDays(1), 1));
        assertThat(queries.unitsBuilt(builtAt, builtAt.plusMillis(1))).as("one unit built, whoever it went to").isEqualTo(1);
    }

    @Test
    void theSameCancellationAgainChangesNothing() throws Exception {
        String city = createCenter(jdbc, 1, 1);
        List<String> preorderIds = scheduledOneADay(city, 3);
        String cancelled = preorderIds.getFirst();
        PreorderCancelled cancellation = TestEvents.cancelled(cancelled, clock.instant());

        kafka.send(Topics.PREORDER_CANCELLED, cancelled, cancellation).get();
        kafka.send(Topics.PREORDER_CANCELLED, cancelled, cancellation).get();
        // the same fact under another event id: the inbox cannot tell, the schedule can
        kafka.send(Topics.PREORDER_CANCELLED, cancelled,
                PreorderCancelled.newBuilder(cancellation).setEventId(UUID.randomUUID().toString()).build()).get();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(scheduledEvents(messaging, preorderIds.get(2))).hasSize(2));
        awaitConsumed();
        Map<String, List<DeliveryScheduled>> events = scheduledEvents(messaging, Set.copyOf(preorderIds));
        assertThat(events.get(cancelled)).hasSize(1);
        for (int i = 1; i < 3; i++) {
            assertThat(events.get(preorderIds.get(i))).as("moved once").hasSize(2);
            assertThat(events.get(preorderIds.get(i)).getLast().getDeliveryDate()).isEqualTo(TODAY.plusDays(i));
        }
        assertThat(bookedAt(city)).containsOnly(Map.entry(TODAY.plusDays(1), 1), Map.entry(TODAY.plusDays(2), 1));
        assertThat(recordsWithKey(Topics.PREORDER_CANCELLED_DLT, cancelled)).isEmpty();
    }

    @Test
    void aCancellationRacingItsUnitsSchedulingEndsConsistentWhicheverWins() throws Exception {
        String city = createCenter(jdbc, 2, 1);
        int rounds = 8;
        List<String> kept = IntStream.range(0, rounds).mapToObj(i -> TestEvents.preorderId()).toList();
        List<String> cancelled = IntStream.range(0, rounds).mapToObj(i -> TestEvents.preorderId()).toList();
        for (int i = 0; i < rounds; i++) {
            kafka.send(Topics.PREORDER_PLACED, kept.get(i), TestEvents.placed(kept.get(i), city, clock.instant().minusSeconds(600 - 2L * i))).get();
            kafka.send(Topics.PREORDER_PLACED, cancelled.get(i), TestEvents.placed(cancelled.get(i), city, clock.instant().minusSeconds(599 - 2L * i))).get();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery_preorder where center_city = ? and status = 'AWAITING_UNIT'", Integer.class, city)).isEqualTo(2 * rounds));

        // In each round the listeners' two transactions start together: the unit of one preorder that stays and one
        // being cancelled, and that cancellation.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < rounds; i++) {
                List<Received<UnitBuilt>> units = List.of(received(TestEvents.built(cancelled.get(i), TestEvents.vin(), clock.instant())),
                        received(TestEvents.built(kept.get(i), TestEvents.vin(), clock.instant())));
                List<Received<PreorderCancelled>> cancellation = List.of(received(TestEvents.cancelled(cancelled.get(i), clock.instant())));
                CountDownLatch start = new CountDownLatch(1);
                Future<?> building = threads.submit(() -> inTransactionOnceStarted(start, () -> schedule.builtAll(units)));
                Future<?> cancelling = threads.submit(() -> inTransactionOnceStarted(start, () -> schedule.cancelledAll(cancellation)));
                start.countDown();
                building.get();
                cancelling.get();
            }
        } finally {
            threads.shutdown();
        }

        for (String preorderId : cancelled) {
            assertThat(statusOf(preorderId)).isEqualTo("CANCELLED");
        }
        for (String preorderId : kept) {
            assertThat(statusOf(preorderId)).isEqualTo("SCHEDULED");
        }
        assertThat(bookedAt(city)).as("the kept units in the first free slots, two a day").containsOnly(
                Map.entry(TODAY.plusDays(1), 2), Map.entry(TODAY.plusDays(2), 2), Map.entry(TODAY.plusDays(3), 2), Map.entry(TODAY.plusDays(4), 2));
        assertThat(jdbc.queryForList("""
                select l.day from center_day_load l
                left join (select delivery_date, count(*) as booked from delivery_preorder
                           where center_city = ? and status = 'SCHEDULED' group by delivery_date) b on b.delivery_date = l.day
                where l.city = ? and l.load <> coalesce(b.booked, 0)""", LocalDate.class, city, city))
                .as("each day's load is the number of hand-overs booked on it").isEmpty();
        await().atMost(PATIENCE).untilAsserted(() -> {
            Map<String, List<DeliveryScheduled>> published = scheduledEvents(messaging, Set.copyOf(allOf(kept, cancelled)));
            for (String preorderId : kept) {
                List<DeliveryScheduled> events = published.getOrDefault(preorderId, List.of());
                Map<String, Object> row = jdbc.queryForMap("select delivery_date, revision from delivery_preorder where preorder_id = ?", preorderId);
                assertThat(events).as("events of %s", preorderId).hasSize((Integer) row.get("revision"));
                for (int revision = 1; revision < events.size(); revision++) {
                    assertThat(events.get(revision).getRevision()).isEqualTo(revision + 1);
                    assertThat(events.get(revision).getDeliveryDate()).isBefore(events.get(revision - 1).getDeliveryDate());
                }
                assertThat(events.getLast().getDeliveryDate()).isEqualTo(((java.sql.Date) row.get("delivery_date")).toLocalDate());
            }
            for (String preorderId : cancelled) {
                assertThat(published.getOrDefault(preorderId, List.of())).as("scheduled at most before it was cancelled")
                        .hasSizeLessThanOrEqualTo(1);
            }
        });
    }

    @Test
    void aCancellationWithoutAValidPreorderIdIsDeadLetteredWithTheReason() throws Exception {
        String key = TestEvents.preorderId();
        PreorderCancelled invalid = PreorderCancelled.newBuilder(TestEvents.cancelled(key, clock.instant())).setPreorderId("not-a-preorder").build();

        kafka.send(Topics.PREORDER_CANCELLED, key, invalid).get();

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> deadLetters = recordsWithKey(Topics.PREORDER_CANCELLED_DLT, key);
            assertThat(deadLetters).hasSize(1);
            assertThat(header(deadLetters.getFirst(), "kafka_dlt-exception-message")).contains("PreorderCancelled " + invalid.getEventId());
        });
    }

    /** {@code count} preorders placed and built at the centre of capacity 1, booked one a day from day +1: ids by date. */
    private List<String> scheduledOneADay(String city, int count) throws Exception {
        List<String> preorderIds = IntStream.range(0, count).mapToObj(i -> TestEvents.preorderId()).toList();
        for (int i = 0; i < count; i++) {
            String preorderId = preorderIds.get(i);
            kafka.send(Topics.PREORDER_PLACED, preorderId, TestEvents.placed(preorderId, city, clock.instant().minusSeconds(600 - i))).get();
            kafka.send(Topics.UNIT_BUILT, preorderId, TestEvents.built(preorderId, TestEvents.vin(), clock.instant())).get();
        }
        Map<String, LocalDate> dates = new HashMap<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            Map<String, List<DeliveryScheduled>> published = scheduledEvents(messaging, Set.copyOf(preorderIds));
            for (String preorderId : preorderIds) {
                assertThat(published.getOrDefault(preorderId, List.of())).hasSize(1);
                dates.put(preorderId, published.get(preorderId).getFirst().getDeliveryDate());
            }
        });
        List<String> byDate = preorderIds.stream().sorted(Comparator.comparing(dates::get)).toList();
        assertThat(byDate.stream().map(dates::get).toList())
                .isEqualTo(IntStream.rangeClosed(1, count).mapToObj(TODAY::plusDays).toList());
        return byDate;
    }

    private void inTransactionOnceStarted(CountDownLatch start, Runnable work) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        transactions.executeWithoutResult(status -> work.run());
    }

    private static <E> Received<E> received(E event) {
        return new Received<>(event, EventTrace.NONE);
    }

    private static List<String> allOf(List<String> some, List<String> others) {
        List<String> all = new ArrayList<>(some);
        all.addAll(others);
        return all;
    }

    private String vinOf(String preorderId) {
        return jdbc.queryForList("select vin from delivery_preorder where preorder_id = ?", String.class, preorderId)
                .stream().findFirst().orElse(null);
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

    /** The groups have committed everything on their topics, and the outbox has published everything. */
    private void awaitConsumed() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(lag(PreorderPlacedListener.CONSUMER, Topics.PREORDER_PLACED)).isZero();
            assertThat(lag(UnitBuiltListener.CONSUMER, Topics.UNIT_BUILT)).isZero();
            assertThat(lag(PreorderCancelledListener.CONSUMER, Topics.PREORDER_CANCELLED)).isZero();
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
