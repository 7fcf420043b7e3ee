package com.su7.testsupport;

import com.su7.contract.DeliveryCities;

import javax.sql.DataSource;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A year of delivered preorders in each service's database, as the service leaves them: the one history that both a
 * service's {@code *HistoryBenchmark} (its periodic queries) and the pipeline benchmark ({@code benchmark.history}, the
 * whole system's throughput) measure against. Each fill writes the service's own tables and its messaging tables
 * ({@link DatabaseHistory#fillMessaging}); the caller runs {@link DatabaseHistory#vacuumAnalyze} after it.
 * <p>
 * Preorder {@code i} of {@code n} is placed at {@code now - 400 days + i * 30 s}, so a million span the year before
 * {@code now} and end 53 days before it; every instant and date written lies before {@code now}, so nothing of it is
 * live work for a service whose clock and factory calendar start there. 2% were cancelled before they were built.
 * Each fill expects a database with no delivered or cancelled preorders yet (it derives rows from its own statuses).
 */
public final class DeliveredPreorders {

    /** The processed event ids a day of a year's pace (1,000,000 a year) leaves, two events per preorder. */
    private static final int EVENTS_PER_DAY = 2 * 2_740;
    /** How long the messaging module keeps processed event ids. */
    private static final int PROCESSED_WINDOW_DAYS = 14;
    private static final List<String> PRODUCTION_CITIES = List.of("Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Wuhan", "Lhasa");

    private DeliveredPreorders() {
    }

    /**
     * orders-service: preorders built and delivery scheduled as its projection keeps them (three changes shown each:
     * placed, built, scheduled), their unit and schedule; the cancelled ones with their cancellation.
     */
    public static void inOrders(DataSource orders, int preorders, Instant now) {
        DatabaseHistory.execute(orders, """
                insert into preorder (id, idempotency_key, request_hash, customer_id, variant, exterior_color, delivery_city,
                                      deposit, channel, entry_point, placed_at, accepted_at, cancelled_at, cancellation_reason)
                select gen_random_uuid(), 'hist-' || i, 'hash', 'customer-h' || (i % 200000), (array['SU7', 'SU7_PRO', 'SU7_MAX'])[1 + i % 3],
                       'Grey', 'Shanghai', 5000, 'APP', 'APP_EVENT', placed, placed,
                       case when i % 50 = 0 then placed + interval '1 day' end, case when i % 50 = 0 then 'changed my mind' end
                from generate_series(1, ?) as i,
                     lateral (select ?::timestamptz - interval '400 days' + i * interval '30 seconds' as placed) p""",
                preorders, Timestamp.from(now));
        DatabaseHistory.execute(orders, """
                insert into preorder_eta (preorder_id, variant, transit_days, placed_at, status, vin, built_at, delivery_center,
                                          schedule_revision, eta_earliest, eta_latest, updated_at)
                select id, variant, 2, placed_at, case when cancelled_at is null then 'DELIVERY_SCHEDULED' else 'CANCELLED' end,
                       case when cancelled_at is null then 'V' || id end,
                       case when cancelled_at is null then placed_at + interval '14 days' end,
                       case when cancelled_at is null then 'Shanghai Delivery Center' end,
                       case when cancelled_at is null then 1 end,
                       (placed_at + interval '19 days')::date, (placed_at + interval '19 days')::date, placed_at + interval '15 days'
                from preorder where idempotency_key like 'hist-%'""");
        DatabaseHistory.execute(orders, """
                insert into eta_history (preorder_id, at, cause, old_earliest, old_latest, new_earliest, new_latest, revision, status)
                select e.preorder_id, e.placed_at + (s.revision - 1) * interval '7 days', s.cause,
                       case when s.revision > 1 then e.eta_earliest - 3 end, case when s.revision > 1 then e.eta_latest + 3 end,
                       e.eta_earliest - case when s.revision = 1 then 3 else 0 end, e.eta_latest + case when s.revision = 1 then 3 else 0 end,
                       s.revision, s.status
                from preorder_eta e
                cross join (values (1, 'PLACED', 'PLACED'), (2, 'BUILT', 'BUILT'), (3, 'SCHEDULED', 'DELIVERY_SCHEDULED')) as s(revision, cause, status)
                where e.status = 'DELIVERY_SCHEDULED'""");
        DatabaseHistory.execute(orders, """
                insert into unit_built (preorder_id, vin, variant, built_at)
                select preorder_id, vin, variant, built_at from preorder_eta where status = 'DELIVERY_SCHEDULED'""");
        DatabaseHistory.execute(orders, """
                insert into delivery_schedule (preorder_id, vin, delivery_center, delivery_date, revision)
                select preorder_id, vin, delivery_center, eta_latest, 1 from preorder_eta where status = 'DELIVERY_SCHEDULED'""");
        DatabaseHistory.execute(orders, """
                insert into preorder_cancelled (preorder_id, cancelled_at)
                select preorder_id, updated_at from preorder_eta where status = 'CANCELLED'""");
        DatabaseHistory.fillMessaging(orders, "orders.unit-built", EVENTS_PER_DAY, PROCESSED_WINDOW_DAYS);
    }

    /**
     * production-service: the queue's rows built and delivery scheduled, {@code today} being the factory date at
     * {@code now} (build dates run to 39 days before it); the cancelled ones never built.
     */
    public static void inProduction(DataSource production, int preorders, Instant now, LocalDate today) {
        DatabaseHistory.execute(production, """
                insert into production_queue (preorder_id, variant, delivery_city, city_key, placed_at, queued_at, status,
                                              estimated_build_date, eta, vin, plant, built_on, built_at, delivery_center,
                                              delivery_date, delivery_revision, cancelled_at)
                select gen_random_uuid(), (array['SU7', 'SU7_PRO', 'SU7_MAX'])[1 + i % 3],
                       (?::text[])[1 + i % 7], (?::text[])[1 + i % 7], placed, placed,
                       case when cancelled then 'CANCELLED' else 'DELIVERY_SCHEDULED' end,
                       built_on, built_on + 5, case when cancelled then null else 'HISTB' || lpad(i::text, 12, '0') end,
                       case when cancelled then null else 'Beijing Yizhuang' end,
                       case when cancelled then null else built_on end,
                       case when cancelled then null else placed + interval '14 days' end,
                       case when cancelled then null else 'Beijing Delivery Center' end,
                       case when cancelled then null else built_on + 5 end,
                       case when cancelled then null else 1 end,
                       case when cancelled then placed + interval '1 day' end
                from generate_series(1, ?) as i
                cross join lateral (select ?::timestamptz - interval '400 days' + i * interval '30 seconds' as placed,
                                           ?::date - 400 + (i * 30 / 86400)::int + 14 as built_on,
                                           i % 50 = 0 as cancelled) p""",
                PRODUCTION_CITIES.toArray(String[]::new), PRODUCTION_CITIES.stream().map(DeliveryCities::keyOf).toArray(String[]::new),
                preorders, Timestamp.from(now), Date.valueOf(today));
        DatabaseHistory.fillMessaging(production, "production.preorder-placed", EVENTS_PER_DAY, PROCESSED_WINDOW_DAYS);
    }

    /**
     * delivery-service: preorders handed over (it has no status past SCHEDULED: their delivery dates are past) at the
     * twelve centres in turn, and the day loads their hand-overs booked; the cancelled ones never built.
     */
    public static void inDelivery(DataSource delivery, int preorders, Instant now) {
        DatabaseHistory.execute(delivery, """
                insert into delivery_preorder (preorder_id, status, requested_city, center_city, variant, placed_at, vin, built_at,
                                               build_date, delivery_date, revision, updated_at, cancelled_at)
                select gen_random_uuid()::text, case when cancelled then 'CANCELLED' else 'SCHEDULED' end, c.city, c.city,
                       (array['SU7', 'SU7_PRO', 'SU7_MAX'])[1 + i % 3], placed,
                       case when cancelled then null else 'HIST' || lpad(i::text, 13, '0') end,
                       case when cancelled then null else placed + interval '14 days' end,
                       case when cancelled then null else (placed + interval '14 days')::date end,
                       case when cancelled then null else (placed + interval '14 days')::date + 5 end,
                       case when cancelled then 0 else 1 end, placed + interval '19 days',
                       case when cancelled then placed + interval '1 day' end
                from generate_series(1, ?) as i
                join (select city, row_number() over (order by city) - 1 as n from center) c on c.n = i % 12
                cross join lateral (select ?::timestamptz - interval '400 days' + i * interval '30 seconds' as placed,
                                           i % 50 = 0 as cancelled) p""",
                preorders, Timestamp.from(now));
        bookDayLoads(delivery, "delivery_date < ?", LocalDate.ofInstant(now, ZoneOffset.UTC));
        DatabaseHistory.fillMessaging(delivery, "delivery.unit-built", EVENTS_PER_DAY, PROCESSED_WINDOW_DAYS);
    }

    /** delivery-service: the day loads that the SCHEDULED hand-overs matching {@code condition} (on {@code date}) booked. */
    public static void bookDayLoads(DataSource delivery, String condition, LocalDate date) {
        DatabaseHistory.execute(delivery, """
                insert into center_day_load (city, day, load)
                select center_city, delivery_date, count(*) from delivery_preorder
                where status = 'SCHEDULED' and %s
                group by center_city, delivery_date
                on conflict (city, day) do update set load = center_day_load.load + excluded.load""".formatted(condition), Date.valueOf(date));
    }
}
