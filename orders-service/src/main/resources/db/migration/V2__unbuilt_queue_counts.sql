-- How many preorders of each variant are unbuilt (PLACED), kept as deltas written in the transactions that change
-- a status (+1 placed, -1 built or scheduled): a placement reads its place in the queue from their sum and the few
-- preorders placed after it, instead of counting the whole queue. Insert-only, so concurrent placements never wait
-- on each other; the ETA refresh folds the deltas of a variant into one row.
create table eta_queue_delta (
    id      bigint generated always as identity primary key,
    variant text   not null,
    delta   bigint not null
);

create index eta_queue_delta_by_variant on eta_queue_delta (variant);

insert into eta_queue_delta (variant, delta)
select variant, count(*) from preorder_eta where status = 'PLACED' group by variant;
