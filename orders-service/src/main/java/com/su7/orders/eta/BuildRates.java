package com.su7.orders.eta;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.ObservedBuildRate;
import com.su7.contract.PreorderId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The plant's build rate, all variants together, as observed in UnitBuilt ({@link ObservedBuildRate}, the definition
 * delivery-service shares), over a window that ends where every partition of UnitBuilt has been read
 * ({@link #read}). Every refresh recomputes it; a placement uses the last one computed (or computes it, the first
 * time), so new preorders and the refresh estimate alike.
 */
@Component
class BuildRates {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final FactoryCalendar calendar;
    private final EtaProperties properties;
    private final AtomicReference<Double> current = new AtomicReference<>();

    BuildRates(JdbcClient jdbc, Clock clock, FactoryCalendar calendar, EtaProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.properties = properties;
        Gauge.builder("su7.orders.eta.build-rate", current, rate -> rate.get() == null ? Double.NaN : rate.get())
                .description("Units per factory day observed in UnitBuilt, all variants (or assumed before a day of builds)")
                .baseUnit("units/day").register(meters);
    }

    /** The rate last computed. */
    double unitsPerDay() {
        Double rate = current.get();
        return rate != null ? rate : recompute();
    }

    /** Recomputes the rate from the builds observed so far. */
    double recompute() {
        Duration dayLength = calendar.dayLength();
        // A unit reassigned from a cancelled preorder was counted when it was built. Before any partition's read is
        // noted (a release that did not note them ran before), the latest build stands for every partition's.
        Builds builds = jdbc.sql("""
                        select min(built_at),
                               coalesce((select min(built_at) from unit_built_read_up_to), max(built_at))
                        from unit_built where reassigned_from is null""")
                .query((rs, row) -> new Builds(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))))
                .single();
        Instant end = ObservedBuildRate.windowEndWhereEveryPartitionIsRead(clock.instant(), builds.everyPartitionReadUpTo());
        long units = builds.first() == null ? 0 : jdbc.sql("select count(*) from unit_built where built_at > ? and built_at <= ? and reassigned_from is null")
                .params(Timestamp.from(ObservedBuildRate.windowStart(end, properties.rateWindowDays(), dayLength)), Timestamp.from(end))
                .query(Long.class).single();
        double rate = properties.unitsPerDay(ObservedBuildRate.of(units, builds.first(), end, properties.rateWindowDays(), dayLength));
        current.set(rate);
        return rate;
    }

    /**
     * Notes how far the partitions of a batch of UnitBuilt records have been read: for each, the latest built_at among
     * the batch's units stored (a record dead-lettered or not an event adds nothing). Called after the batch is applied.
     */
    void read(List<ConsumerRecord<String, byte[]>> records) {
        List<Integer> partitions = new ArrayList<>(records.size());
        List<UUID> preorders = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            PreorderId.tryParse(record.key()).ifPresent(preorder -> {
                partitions.add(record.partition());
                preorders.add(preorder.value());
            });
        }
        if (preorders.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into unit_built_read_up_to (topic_partition, built_at)
                        select r.topic_partition, max(u.built_at)
                        from unnest(cast(:partitions as int[]), cast(:preorders as uuid[])) as r(topic_partition, preorder_id)
                        join unit_built u on u.preorder_id = r.preorder_id
                        group by r.topic_partition
                        on conflict (topic_partition) do update set built_at = greatest(unit_built_read_up_to.built_at, excluded.built_at)""")
                .param("partitions", partitions.toArray(Integer[]::new))
                .param("preorders", preorders.toArray(UUID[]::new))
                .update();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** When the first unit seen was built, and up to when every partition's builds were read; null before any. */
    private record Builds(Instant first, Instant everyPartitionReadUpTo) {
    }
}
