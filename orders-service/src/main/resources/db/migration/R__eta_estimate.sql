-- The customer-facing estimate of an unbuilt preorder: the one definition of the formula. The preorder at `place` in
-- the queue of unbuilt preorders (1 = next) is built after place / rate factory days; the estimate spans that at the
-- rate plus the band (earliest, rounded down) to the rate minus the band (latest, rounded up), never past the
-- horizon, plus transit days.
--
-- Why here, in SQL, and nowhere else: the refresh re-estimates the whole queue (100,000 preorders in a launch) in
-- one set-based statement and only the ranges that moved leave the database; a Java formula would ship every row
-- out and back at each refresh. The placement calls the same functions in its insert, so there is no Java copy to
-- drift from. The inputs (the observed rate: com.su7.contract.ObservedBuildRate, the band, the horizon, today) are
-- computed in Java and passed in. A repeatable migration: edit it here and Flyway re-creates the functions.
-- Immutable one-expression SQL functions, so PostgreSQL inlines them into the calling statements.
-- Places count from `counted_from`: today, or the day before just after a day ended and before its builds were read
-- (com.su7.orders.eta.BuildRates#placesCountFrom); a unit is never built before `today`.
create or replace function estimate_earliest(place bigint, units_per_day double precision, band double precision,
                                             horizon_days int, counted_from date, today date, transit_days int)
    returns date language sql immutable parallel safe
as $$ select greatest(today, counted_from + least(horizon_days, floor(place / (units_per_day * (1 + band))))::int) + transit_days $$;

create or replace function estimate_latest(place bigint, units_per_day double precision, band double precision,
                                           horizon_days int, counted_from date, today date, transit_days int)
    returns date language sql immutable parallel safe
as $$ select greatest(today, counted_from + least(horizon_days, ceil(place / (units_per_day * (1 - band))))::int) + transit_days $$;

-- Counted from today: what the releases before counted_from call (a rolling upgrade runs them beside this one).
create or replace function estimate_earliest(place bigint, units_per_day double precision, band double precision,
                                             horizon_days int, today date, transit_days int)
    returns date language sql immutable parallel safe
as $$ select estimate_earliest(place, units_per_day, band, horizon_days, today, today, transit_days) $$;

create or replace function estimate_latest(place bigint, units_per_day double precision, band double precision,
                                           horizon_days int, today date, transit_days int)
    returns date language sql immutable parallel safe
as $$ select estimate_latest(place, units_per_day, band, horizon_days, today, today, transit_days) $$;
