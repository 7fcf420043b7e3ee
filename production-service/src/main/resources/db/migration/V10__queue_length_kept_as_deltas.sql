-- How many preorders are queued, kept as deltas, so a projection round numbers the queue from its tail instead of
-- counting every queued preorder ahead of it: that count visited each of them (and, in a launch burst, their dead
-- versions), 0.2-0.5 s a round with 100,000 queued in the pipeline benchmark, every 200 ms, under the queue lock.
-- Insert-only: concurrent intake and lines never wait on a counter row; ProductionQueue folds them.
create table queue_length_delta (
    id    bigint generated always as identity primary key,
    delta bigint not null
);

-- Kept by triggers, so every writer is counted, a release before this one running beside it in a rolling upgrade
-- too. Only statements that name the status column fire the update trigger (the projection's rewrites of every
-- queued ETA do not), and only for a row that joined or left the queue (a unit built, a cancellation): one delta row
-- each, a row trigger, as PostgreSQL gives no transition tables to a trigger on a column. An insert: one row per
-- statement.
create function queue_length_inserted() returns trigger language plpgsql as $$
begin
    insert into queue_length_delta (delta) select count(*) from new_rows where status = 'QUEUED' having count(*) > 0;
    return null;
end $$;

create function queue_length_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if old.status = 'QUEUED' then
            insert into queue_length_delta (delta) values (-1);
        end if;
        return null;
    end if;
    insert into queue_length_delta (delta) values (case when new.status = 'QUEUED' then 1 else -1 end);
    return null;
end $$;

-- Creating a trigger waits for the writers in flight and holds new ones until this migration commits: the count
-- below and the triggers start from the same rows.
create trigger queue_length_inserted after insert on production_queue
    referencing new table as new_rows for each statement execute function queue_length_inserted();
create trigger queue_length_status_changed after update of status on production_queue
    for each row when ((old.status = 'QUEUED') <> (new.status = 'QUEUED')) execute function queue_length_changed();
create trigger queue_length_deleted after delete on production_queue
    for each row when (old.status = 'QUEUED') execute function queue_length_changed();

insert into queue_length_delta (delta) select count(*) from production_queue where status = 'QUEUED';
