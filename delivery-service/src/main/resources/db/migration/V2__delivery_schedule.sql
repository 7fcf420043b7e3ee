-- Hand-overs booked per centre and factory date. Slots are only ever taken with a conditional update
-- (load < the centre's capacity) under the schedule lock, so no day is booked past its centre's capacity.
-- Lowering a capacity keeps the hand-overs already promised (load may then exceed it until those days pass).
create table center_day_load (
    city text not null references center (city),
    day  date not null,
    load int  not null check (load >= 0),
    primary key (city, day)
);

-- One row per preorder, whichever of its events came first:
--   AWAITING_UNIT  PreorderPlaced seen, no unit built yet (the centre's backlog)
--   HELD           UnitBuilt seen before its PreorderPlaced: kept until the preorder arrives
--   SCHEDULED      both seen; hand-over booked at delivery_date, revision = last published DeliveryScheduled
create table delivery_preorder (
    preorder_id    text        primary key,
    status         text        not null check (status in ('AWAITING_UNIT', 'HELD', 'SCHEDULED')),
    requested_city text,
    center_city    text        references center (city),
    variant        text,
    placed_at      timestamptz,
    vin            text,
    built_at       timestamptz,
    build_date     date,
    delivery_date  date,
    revision       int         not null default 0,
    updated_at     timestamptz not null,
    constraint awaiting_has_preorder_only check (status <> 'AWAITING_UNIT' or (placed_at is not null and center_city is not null and vin is null)),
    constraint held_has_unit_only check (status <> 'HELD' or (vin is not null and build_date is not null and placed_at is null)),
    constraint scheduled_is_complete check (status <> 'SCHEDULED'
        or (placed_at is not null and center_city is not null and vin is not null and delivery_date is not null and revision >= 1))
);

create index delivery_preorder_awaiting on delivery_preorder (center_city, placed_at, preorder_id) where status = 'AWAITING_UNIT';
create index delivery_preorder_awaiting_queue on delivery_preorder (placed_at, preorder_id) where status = 'AWAITING_UNIT';
create index delivery_preorder_scheduled on delivery_preorder (center_city, delivery_date) where status = 'SCHEDULED';
create index delivery_preorder_by_build on delivery_preorder (built_at) where built_at is not null;
