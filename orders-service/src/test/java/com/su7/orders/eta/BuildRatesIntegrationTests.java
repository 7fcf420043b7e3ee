package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.PreorderId;
import com.su7.contract.Topics;
import com.su7.events.Variant;
import com.su7.orders.OrdersIntegrationTest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static com.su7.orders.TestClockConfiguration.NOW;
import static com.su7.orders.eta.TestEvents.unitBuilt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

@OrdersIntegrationTest
class BuildRatesIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    BuildRates rates;
    @Autowired
    FactoryCalendar calendar;

    @Test
    void theRateCountsTheBuildsUpToWhereEveryPartitionHasBeenRead() {
        Duration day = calendar.dayLength();
        Instant partitionBehindReadUpTo = NOW.minus(day.multipliedBy(3));
        Double rate = transactions.execute(status -> {
            status.setRollbackOnly();
            jdbc.update("delete from unit_built");
            jdbc.update("delete from partition_read where consumer = ?", UnitBuiltListener.CONSUMER);
            // The plant builds 100 units a factory day on each of two partitions. Partition 0 is read up to now,
            // partition 1 only up to three days ago: its builds since are still on their way.
            builds(NOW.minus(day.multipliedBy(10)), NOW.minus(day.dividedBy(24)), day);
            builds(NOW.minus(day.multipliedBy(10)), partitionBehindReadUpTo, day);
            jdbc.update("insert into partition_read (consumer, topic_partition, read_up_to) values (?, 0, ?), (?, 1, ?)",
                    UnitBuiltListener.CONSUMER, Timestamp.from(NOW.minus(day.dividedBy(24))),
                    UnitBuiltListener.CONSUMER, Timestamp.from(partitionBehindReadUpTo));
            return rates.recompute();
        });

        // The 7 days up to where both partitions are read: 200 a day. A window ending after the latest build would count
        // 7 days of partition 0 and 4 of partition 1: 157 a day.
        assertThat(rate).isCloseTo(200, within(1.0));
    }

    /**
     * The lines stamp a day's units with one time, the day's last millisecond. A partition read up to that time has read
     * one of them, not all: its batch may have ended in the middle of the day. Counted with the day, the rate dipped
     * by a share of a day's builds now and then (900 → 843 → 900 units a day between refreshes in a run with
     * four-second days), and each dip of over 5 % told thousands of customers a later date.
     */
    @Test
    void aDayOfBuildsIsCountedOnlyWhenEveryPartitionHasReadPastItsTime() {
        LocalDate today = calendar.dateOf(NOW);
        LocalDate lastDay = today.minusDays(1);
        Double rate = transactions.execute(status -> {
            status.setRollbackOnly();
            jdbc.update("delete from unit_built");
            jdbc.update("delete from partition_read where consumer = ?", UnitBuiltListener.CONSUMER);
            // 200 units a day for ten days, on two partitions; of the last day, one partition's batch ended after 40 of
            // its 100 units, so 140 have been read, and both partitions are read up to that day's time.
            for (LocalDate day = lastDay.minusDays(9); !day.isAfter(lastDay); day = day.plusDays(1)) {
                dayOfBuilds(day, day.equals(lastDay) ? 140 : 200);
            }
            Timestamp readUpTo = Timestamp.from(builtAt(lastDay));
            jdbc.update("insert into partition_read (consumer, topic_partition, read_up_to) values (?, 0, ?), (?, 1, ?)",
                    UnitBuiltListener.CONSUMER, readUpTo, UnitBuiltListener.CONSUMER, readUpTo);
            return rates.recompute();
        });

        // The 7 whole days before the one partly read: 200 a day (with the partly read day: 191).
        assertThat(rate).isCloseTo(200, within(0.01));
    }

    /**
     * The lines build a day at its end. In the moment between the day's end and its builds being read, the places still
     * count the units built that day: counted from the new day, every customer near the front was told a day later,
     * then a day earlier when the builds came (78 % of the later moves in a run with four-second days came in the
     * second after a day ended).
     */
    @Test
    void placesCountFromTheDayTheBuildsReadSoFarLeaveOffAt() {
        LocalDate today = calendar.dateOf(NOW);
        assertThat(placesCountFromWithEveryPartitionReadUpTo(builtAt(today.minusDays(2))))
                .as("yesterday's builds on their way").isEqualTo(today.minusDays(1));
        assertThat(placesCountFromWithEveryPartitionReadUpTo(builtAt(today.minusDays(1))))
                .as("yesterday's builds read").isEqualTo(today);
        assertThat(placesCountFromWithEveryPartitionReadUpTo(builtAt(today.minusDays(5))))
                .as("a plant that built nothing for days: nothing on its way").isEqualTo(today);
        assertThat(placesCountFromWithEveryPartitionReadUpTo(null)).as("no build read yet").isEqualTo(today);
    }

    /** Counted from yesterday, a place is never built before today: the estimate is today's at the earliest. */
    @Test
    void anEstimateCountedFromYesterdayIsNeverBeforeToday() {
        LocalDate today = calendar.dateOf(NOW);
        LocalDate earliest = jdbc.queryForObject("select estimate_earliest(1, 720, 0.2, 3650, ?, ?, 3)", LocalDate.class,
                today.minusDays(1), today);
        LocalDate latest = jdbc.queryForObject("select estimate_latest(1, 720, 0.2, 3650, ?, ?, 3)", LocalDate.class,
                today.minusDays(1), today);
        assertThat(earliest).isEqualTo(today.plusDays(3));
        assertThat(latest).isEqualTo(today.plusDays(3));
        assertThat(jdbc.queryForObject("select estimate_latest(1000, 720, 0.2, 3650, ?, ?, 3)", LocalDate.class,
                today.minusDays(1), today)).as("1000 / 576 a day: two days from yesterday").isEqualTo(today.plusDays(1 + 3));
    }

    private LocalDate placesCountFromWithEveryPartitionReadUpTo(Instant readUpTo) {
        return transactions.execute(status -> {
            status.setRollbackOnly();
            jdbc.update("delete from partition_read where consumer = ?", UnitBuiltListener.CONSUMER);
            if (readUpTo != null) {
                jdbc.update("insert into partition_read (consumer, topic_partition, read_up_to) values (?, 0, ?), (?, 1, ?)",
                        UnitBuiltListener.CONSUMER, Timestamp.from(readUpTo), UnitBuiltListener.CONSUMER, Timestamp.from(readUpTo.plusSeconds(1)));
            }
            return rates.placesCountFrom();
        });
    }

    @Test
    void theListenerNotesHowFarEachPartitionIsReadAsItsLatestBuild() throws Exception {
        String preorder = PreorderId.next().toString();
        // Later than any other test's build, so it is this partition's latest.
        Instant builtAt = NOW.plus(Duration.ofDays(400));

        kafka.send(new ProducerRecord<>(Topics.UNIT_BUILT, 2, preorder, unitBuilt(preorder, Variant.SU7, builtAt))).get();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select read_up_to from partition_read where consumer = ? and topic_partition = 2", Timestamp.class, UnitBuiltListener.CONSUMER))
                .extracting(Timestamp::toInstant).containsExactly(builtAt));
    }

    /** When the lines stamp the units of {@code day}: its last millisecond. */
    private Instant builtAt(LocalDate day) {
        return calendar.startOf(day.plusDays(1)).minusMillis(1);
    }

    /** {@code units} built on {@code day}, all at its time, as the lines build them. */
    private void dayOfBuilds(LocalDate day, int units) {
        jdbc.update("""
                insert into unit_built (preorder_id, vin, variant, built_at)
                select gen_random_uuid(), 'TEST' || n, 'SU7', ? from generate_series(1, ?) as n""",
                Timestamp.from(builtAt(day)), units);
    }

    /** 100 units a factory day from {@code from} to {@code to}, for preorders nobody placed (held until placed). */
    private void builds(Instant from, Instant to, Duration day) {
        jdbc.update("""
                insert into unit_built (preorder_id, vin, variant, built_at)
                select gen_random_uuid(), 'TEST' || n, 'SU7', at
                from generate_series(cast(? as timestamptz), cast(? as timestamptz), make_interval(secs => ?)) with ordinality as b(at, n)""",
                Timestamp.from(from), Timestamp.from(to), day.toMillis() / 100 / 1000.0);
    }
}
