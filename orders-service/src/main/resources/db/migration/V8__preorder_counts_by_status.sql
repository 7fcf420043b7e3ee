-- How many preorders are in each status, kept as deltas so the stats (the ops console asks every 2 s) never count a
-- year of preorders: a `group by status` over preorder_eta read every row, ~100 ms at 1,000,000 (issue 21).
-- Insert-only, like eta_queue_delta, so concurrent writers never wait on a counter row; PreorderStatusCounts sums
-- them and folds them into one row per status every few seconds.
create table preorder_status_delta (
    id     bigint generated always as identity primary key,
    status text   not null,
    delta  bigint not null
);

-- Kept by triggers, not by the code that changes a status: every writer is counted, a release before this one still
-- running beside it in a rolling upgrade too. One statement-level trigger per kind of write, each one insert of a row
-- per status the statement moved (a listener's batch of 500 is one or two rows). The deltas go to the table beside the
-- preorder_eta written, so a projection rebuild's copies (in a schema of their own) count into their own copy of it.
create function preorder_status_counted() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        execute format('insert into %I.preorder_status_delta (status, delta)
                        select status, count(*) from new_rows group by status', tg_table_schema);
    elsif tg_op = 'DELETE' then
        execute format('insert into %I.preorder_status_delta (status, delta)
                        select status, -count(*) from old_rows group by status', tg_table_schema);
    else
        execute format('insert into %I.preorder_status_delta (status, delta)
                        select status, sum(delta) from (select status, 1 as delta from new_rows
                                                        union all
                                                        select status, -1 from old_rows) moved
                        group by status having sum(delta) <> 0', tg_table_schema);
    end if;
    return null;
end $$;

-- Creating a trigger takes a lock that waits for the writers in flight and holds new ones until this migration
-- commits, so the count below and the triggers start from the same rows: nothing is counted twice or missed.
create trigger preorder_status_inserted after insert on preorder_eta
    referencing new table as new_rows for each statement execute function preorder_status_counted();
create trigger preorder_status_updated after update on preorder_eta
    referencing old table as old_rows new table as new_rows for each statement execute function preorder_status_counted();
create trigger preorder_status_deleted after delete on preorder_eta
    referencing old table as old_rows for each statement execute function preorder_status_counted();

insert into preorder_status_delta (status, delta) select status, count(*) from preorder_eta group by status;
