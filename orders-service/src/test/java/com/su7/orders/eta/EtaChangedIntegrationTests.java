package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.Topics;
import com.su7.events.EtaChangeCause;
import com.su7.events.EtaChanged;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;
import com.su7.events.Variant;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.orders.Http;
import com.su7.orders.OrdersIntegrationTest;
import com.su7.testsupport.KafkaProbe;
import com.su7.testsupport.SharedLocalStack;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.su7.orders.TestClockConfiguration.NOW;
import static com.su7.orders.eta.TestEvents.scheduled;
import static com.su7.orders.eta.TestEvents.unitBuilt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** EtaChanged on {@code orders.eta-changed}: one event per change a customer sees, the same change as its history row. */
@OrdersIntegrationTest
class EtaChangedIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    AvroEventDecoder avro;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JdbcClient jdbcClient;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    DataSource dataSource;
    @Autowired
    Clock clock;
    @Autowired
    FactoryCalendar calendar;
    @Autowired
    BuildRates rates;
    @Autowired
    EtaProperties properties;
    @Autowired
    EtaHistory history;
    @Autowired
    EtaRefresher refresher;
    @Autowired
    MeterRegistry meters;

    Http http;
    KafkaProbe probe = new KafkaProbe(SharedLocalStack.get());

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void publishesRevisionsOneToNOncePerChangeTheLastOneWhatTheApiShows() throws Exception {
        String id = http.placePreorder("SU7_PRO", "Shanghai");
        kafka.send(Topics.UNIT_BUILT, id, unitBuilt(id, Variant.SU7_PRO, NOW.minus(Duration.ofHours(2)))).get();
        awaitStatus(id, "BUILT");
        // Built on 2026-05-10, two days to Shanghai: 2026-05-12. Scheduled for that day (only the status changes), then
        // the centre's capacity rises and the hand-over moves a day earlier (revision 2), and that one is redelivered.
        kafka.send(Topics.DELIVERY_SCHEDULED, id, scheduled(id, 1, "2026-05-12")).get();
        awaitStatus(id, "DELIVERY_SCHEDULED");
        kafka.send(Topics.DELIVERY_SCHEDULED, id, scheduled(id, 2, "2026-05-11")).get();
        kafka.send(Topics.DELIVERY_SCHEDULED, id, scheduled(id, 2, "2026-05-11")).get();
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(http.preorder(id).get("eta").get("date").asString()).isEqualTo("2026-05-11"));

        List<EtaChanged> events = awaitEvents(id, 4 + rateChanges(id));

        JsonNode view = http.preorder(id);
        assertThat(events).extracting(EtaChanged::getRevision)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).boxed().toList());
        List<EtaChanged> facts = events.stream().filter(event -> event.getCause() != EtaChangeCause.RATE_CHANGED).toList();
        assertThat(facts).extracting(EtaChanged::getCause).containsExactly(
                EtaChangeCause.PLACED, EtaChangeCause.BUILT, EtaChangeCause.SCHEDULED, EtaChangeCause.RESCHEDULED);
        assertThat(facts).extracting(EtaChanged::getStatus).containsExactly(
                PreorderStatus.PLACED, PreorderStatus.BUILT, PreorderStatus.DELIVERY_SCHEDULED, PreorderStatus.DELIVERY_SCHEDULED);
        // The first estimate (one unit a day assumed) is far out: the build brings it earlier.
        assertThat(facts).extracting(EtaChanged::getDirection).containsExactly(
                EtaDirection.FIRST, EtaDirection.EARLIER, EtaDirection.SAME_DATES, EtaDirection.EARLIER);
        EtaChanged first = events.getFirst();
        assertThat(first.getPreviousEarliest()).isNull();
        assertThat(first.getPreviousLatest()).isNull();
        assertThat(facts.get(2).getPreviousLatest()).isEqualTo(LocalDate.parse("2026-05-12"));
        assertThat(facts.get(2).getLatest()).isEqualTo(LocalDate.parse("2026-05-12"));
        for (EtaChanged event : events) {
            assertThat(event.getPreorderId()).isEqualTo(id);
            assertThat(event.getCustomerId()).isEqualTo(view.get("customerId").asString());
            assertThat(event.getEventId()).isEqualTo(EtaHistory.eventIdOf(UUID.fromString(id), event.getRevision()).toString());
        }

        // What the API shows is the last revision, and its history is the events, one row each.
        EtaChanged last = events.getLast();
        assertThat(last.getEarliest()).isEqualTo(LocalDate.parse(view.get("eta").get("date").asString()));
        assertThat(last.getLatest()).isEqualTo(last.getEarliest());
        assertThat(last.getStatus().name()).isEqualTo(view.get("status").asString());
        JsonNode shown = view.get("etaHistory");
        assertThat(shown.size()).isEqualTo(events.size());
        for (int i = 0; i < events.size(); i++) {
            assertThat(shown.get(i).get("revision").asInt()).isEqualTo(events.get(i).getRevision());
            assertThat(shown.get(i).get("cause").asString()).isEqualTo(events.get(i).getCause().name());
            assertThat(shown.get(i).get("newLatest").asString()).isEqualTo(events.get(i).getLatest().toString());
        }
    }

    @Test
    void aReEstimateWhoseLatestDateStaysIsNeitherAHistoryRowNorAnEvent() {
        String wobbling = http.placePreorder("SU7", "Beijing");
        String moving = http.placePreorder("SU7", "Beijing");
        settleEveryEstimate();
        awaitOutboxPublished();
        Eta settledWobbling = eta(wobbling);
        Eta settledMoving = eta(moving);
        int eventsOfWobbling = events(wobbling).size();
        int eventsOfMoving = events(moving).size();

        // As if the customers had been shown other ranges: one whose earliest date is a day off (the re-estimate
        // moves only the earliest), one whose latest date is a day off (it moves the latest).
        jdbc.update("update preorder_eta set eta_earliest = eta_earliest - 1 where preorder_id = ?::uuid", wobbling);
        jdbc.update("update preorder_eta set eta_latest = eta_latest + 1 where preorder_id = ?::uuid", moving);
        refresher.refresh();
        awaitOutboxPublished();

        assertThat(eta(wobbling)).as("the range shown stays").isEqualTo(new Eta(settledWobbling.earliest().minusDays(1), settledWobbling.latest()));
        assertThat(historyRows(wobbling)).isEqualTo(eventsOfWobbling);
        assertThat(events(wobbling)).hasSize(eventsOfWobbling);

        assertThat(eta(moving)).isEqualTo(settledMoving);
        assertThat(historyRows(moving)).isEqualTo(eventsOfMoving + 1);
        EtaChanged moved = awaitEvents(moving, eventsOfMoving + 1).getLast();
        assertThat(moved.getCause()).isEqualTo(EtaChangeCause.RATE_CHANGED);
        assertThat(moved.getDirection()).isEqualTo(EtaDirection.EARLIER);
        assertThat(moved.getRevision()).isEqualTo(eventsOfMoving + 1);
        assertThat(moved.getPreviousLatest()).isEqualTo(settledMoving.latest().plusDays(1));
        assertThat(moved.getLatest()).isEqualTo(settledMoving.latest());
    }

    @Test
    void theThresholdIsConfigurable() {
        String preorder = http.placePreorder("SU7_MAX", "Wuhan");
        settleEveryEstimate();
        awaitOutboxPublished();
        Eta settled = eta(preorder);
        int rows = historyRows(preorder);

        // With two days, a latest date one day off is wobble too.
        jdbc.update("update preorder_eta set eta_latest = eta_latest + 1 where preorder_id = ?::uuid", preorder);
        refresherWithThreshold(2).refresh();
        assertThat(eta(preorder).latest()).isEqualTo(settled.latest().plusDays(1));
        assertThat(historyRows(preorder)).isEqualTo(rows);

        // With none, even an earliest date that alone moved is shown.
        jdbc.update("update preorder_eta set eta_latest = eta_latest - 1, eta_earliest = eta_earliest - 1 where preorder_id = ?::uuid", preorder);
        refresherWithThreshold(0).refresh();
        assertThat(eta(preorder)).isEqualTo(settled);
        assertThat(historyRows(preorder)).isEqualTo(rows + 1);
    }

    @Test
    void aMoveSmallForTheWaitShownIsWobble() {
        String preorder = http.placePreorder("SU7_PRO", "Shanghai");
        settleEveryEstimate();
        awaitOutboxPublished();
        Eta settled = eta(preorder);
        int rows = historyRows(preorder);

        // As if the customer had been shown a latest date 3 days later: a move of 3 days back, out of a wait of
        // daysShown (today to the latest date shown).
        jdbc.update("update preorder_eta set eta_latest = eta_latest + 3 where preorder_id = ?::uuid", preorder);
        long daysShown = ChronoUnit.DAYS.between(calendar.today(clock), settled.latest().plusDays(3));
        double shareMoved = 3.0 / daysShown;

        refresherWithThreshold(1, shareMoved * 1.01).refresh();
        assertThat(eta(preorder).latest()).as("under the share: the date shown stays").isEqualTo(settled.latest().plusDays(3));
        assertThat(historyRows(preorder)).isEqualTo(rows);

        refresherWithThreshold(1, shareMoved * 0.99).refresh();
        assertThat(eta(preorder)).isEqualTo(settled);
        assertThat(historyRows(preorder)).isEqualTo(rows + 1);
    }

    @Test
    void whatARebuildReplaysIntoCopiesInASchemaOfTheirOwnIsPublishedToNobody() {
        String live = jdbc.queryForObject("select current_schema()", String.class);
        assertThat(writesLiveHistory()).isTrue();

        Boolean inCopies = transactions.execute(status -> {
            status.setRollbackOnly();
            jdbc.execute("create schema eta_copies_test");
            jdbc.execute("create table eta_copies_test.eta_history (like %s.eta_history including all)".formatted(live));
            jdbc.execute("set local search_path to eta_copies_test, " + live);
            return writesLiveHistory();
        });

        assertThat(inCopies).isFalse();
    }

    private boolean writesLiveHistory() {
        return jdbc.queryForObject("select " + EtaHistory.WRITES_LIVE_HISTORY, Boolean.class);
    }

    /** Every range exactly its re-estimate, so that a range set a day off moves exactly that day back. */
    private void settleEveryEstimate() {
        refresherWithThreshold(0).refresh();
    }

    @Test
    void aRefreshWritesItsMovesInTransactionsOfBoundedSizeEachWithItsHistory() {
        List<String> ids = List.of(http.placePreorder("SU7", "Wuhan"), http.placePreorder("SU7", "Wuhan"), http.placePreorder("SU7", "Wuhan"));
        settleEveryEstimate();
        awaitOutboxPublished();
        Map<String, Eta> settled = ids.stream().collect(Collectors.toMap(id -> id, this::eta));
        Map<String, Integer> eventsBefore = ids.stream().collect(Collectors.toMap(id -> id, id -> events(id).size()));
        // As if each customer had been shown a latest date five days later than the estimate.
        ids.forEach(id -> jdbc.update("update preorder_eta set eta_latest = eta_latest + 5 where preorder_id = ?::uuid", id));

        int changed = new EtaRefresher(jdbcClient, transactions, clock, calendar, rates, withThreshold(0, 0), history, meters, 1).refresh();

        assertThat(changed).isEqualTo(ids.size());
        ids.forEach(id -> assertThat(eta(id)).as("moved back to the estimate").isEqualTo(settled.get(id)));
        assertThat(jdbc.queryForList("select distinct xmin::text from preorder_eta where preorder_id = any(?::uuid[])", String.class,
                (Object) ids.toArray(String[]::new))).as("each row written in a transaction of its own").hasSize(ids.size());
        ids.forEach(id -> assertThat(awaitEvents(id, eventsBefore.get(id) + 1)).as("one EtaChanged each")
                .last().extracting(EtaChanged::getCause).isEqualTo(EtaChangeCause.RATE_CHANGED));
    }

    @Test
    void aRangeARefreshCouldNotWriteIsEstimatedAgainAtTheNextRefresh() throws Exception {
        String held = http.placePreorder("SU7", "Wuhan");
        String free = http.placePreorder("SU7", "Wuhan");
        EtaRefresher refresher = refresherWithThreshold(0);
        refresher.refreshWhereNeeded();
        awaitOutboxPublished();
        Eta settledHeld = eta(held);
        Eta settledFree = eta(free);
        for (String id : List.of(held, free)) {
            jdbc.update("update preorder_eta set eta_latest = eta_latest + 5 where preorder_id = ?::uuid", id);
        }

        // A listener holds one of the rows while the refresh writes: the refresh skips it.
        try (Connection listener = dataSource.getConnection()) {
            listener.setAutoCommit(false);
            try (PreparedStatement lock = listener.prepareStatement("select 1 from preorder_eta where preorder_id = ?::uuid for update")) {
                lock.setString(1, held);
                lock.executeQuery().close();
            }
            refresher.markDirty();
            refresher.refreshWhereNeeded();
            assertThat(eta(free)).as("written").isEqualTo(settledFree);
            assertThat(eta(held).latest()).as("skipped").isEqualTo(settledHeld.latest().plusDays(5));
            listener.rollback();
        }

        refresher.refreshWhereNeeded();

        assertThat(eta(held)).as("estimated again, though nothing else changed").isEqualTo(settledHeld);
    }

    private EtaRefresher refresherWithThreshold(int days) {
        return refresherWithThreshold(days, 0);
    }

    private EtaRefresher refresherWithThreshold(int days, double shareOfTheWait) {
        return new EtaRefresher(jdbcClient, transactions, clock, calendar, rates, withThreshold(days, shareOfTheWait), history, meters);
    }

    private EtaProperties withThreshold(int days, double shareOfTheWait) {
        return new EtaProperties(properties.assumedDailyRate(), properties.rateWindowDays(), properties.rateBand(),
                properties.minimumDailyRate(), properties.horizonDays(), properties.refreshInterval(), days, shareOfTheWait, true);
    }

    private Eta eta(String preorderId) {
        return jdbc.queryForObject("select eta_earliest, eta_latest from preorder_eta where preorder_id = ?::uuid",
                (rs, row) -> new Eta(rs.getObject(1, LocalDate.class), rs.getObject(2, LocalDate.class)), preorderId);
    }

    private int historyRows(String preorderId) {
        return jdbc.queryForObject("select count(*) from eta_history where preorder_id = ?::uuid", Integer.class, preorderId);
    }

    private int rateChanges(String preorderId) {
        return jdbc.queryForObject("select count(*) from eta_history where preorder_id = ?::uuid and cause = 'RATE_CHANGED'",
                Integer.class, preorderId);
    }

    private void awaitOutboxPublished() {
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject("select count(*) from outbox_message", Long.class) == 0);
    }

    private List<EtaChanged> events(String preorderId) {
        return probe.recordsWithKey(Topics.ETA_CHANGED, preorderId).stream()
                .map(record -> avro.of(EtaChanged.class).decode(record)).toList();
    }

    private List<EtaChanged> awaitEvents(String preorderId, int count) {
        List<EtaChanged> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            found.addAll(events(preorderId));
            assertThat(found).hasSize(count);
        });
        return found;
    }

    private void awaitStatus(String id, String status) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(http.preorder(id).get("status").asString()).isEqualTo(status));
    }
}
