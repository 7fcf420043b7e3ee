-- How many preorders await their unit at each centre, kept as deltas so the gauges (every 5 s) and the summary (the
-- ops console asks every 2 s) never count the awaiting preorders: even from V6's narrow index that count grew with the
-- live part, ~50,000 entries grouped by centre on every call (DeliveryHistoryBenchmark; the README's "Costs that do not
-- grow with history"). Insert-only, like orders-service's preorder_status_delta, so concurrent writers never wait on a
-- counter row; ScheduleQueries.backlogs sums them, AwaitingDeltas folds them into one row per centre every few seconds.
create table delivery_awaiting_delta (
    id          bigint generated always as identity primary key,
    center_city text   not null,
    delta       bigint not null
);

-- Kept by triggers, not by the code that changes a status: every writer is counted, a release before this one still
-- running beside it in a rolling upgrade too. One statement-level trigger per kind of write, each one insert of a row
-- per centre whose awaiting preorders the statement changed (a listener's batch is one row per centre at most).
create function delivery_awaiting_counted() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into delivery_awaiting_delta (center_city, delta)
        select center_city, count(*) from new_rows where status = 'AWAITING_UNIT' group by center_city;
    elsif tg_op = 'DELETE' then
        insert into delivery_awaiting_delta (center_city, delta)
        select center_city, -count(*) from old_rows where status = 'AWAITING_UNIT' group by center_city;
    else
        insert into delivery_awaiting_delta (center_city, delta)
        select center_city, sum(delta) from (select center_city, 1 as delta from new_rows where status = 'AWAITING_UNIT'
                                             union all
                                             select center_city, -1 from old_rows where status = 'AWAITING_UNIT') moved
        group by center_city having sum(delta) <> 0;
    end if;
    return null;
end $$;

-- Creating a trigger takes a lock that waits for the writers in flight and holds new ones until this migration
-- commits, so the count below and the triggers start from the same rows: nothing is counted twice or missed.
create trigger delivery_awaiting_inserted after insert on delivery_preorder
    referencing new table as new_rows for each statement execute function delivery_awaiting_counted();
create trigger delivery_awaiting_updated after update on delivery_preorder
    referencing old table as old_rows new table as new_rows for each statement execute function delivery_awaiting_counted();
create trigger delivery_awaiting_deleted after delete on delivery_preorder
    referencing old table as old_rows for each statement execute function delivery_awaiting_counted();

insert into delivery_awaiting_delta (center_city, delta)
select center_city, count(*) from delivery_preorder where status = 'AWAITING_UNIT' group by center_city;

-- The hand-overs booked from today on need no counter: center_day_load holds them per centre and day already (booked
-- with each hand-over, under the schedule lock). Summed from today on, a dozen rows a day ahead, through this index
-- rather than every day of the year behind (the table is small: a dozen rows a day, so a plain build is over at once).
create index center_day_load_by_day on center_day_load (day);
