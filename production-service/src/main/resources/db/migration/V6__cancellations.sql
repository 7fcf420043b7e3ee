-- Cancellations (PreorderCancelled). V4 is the Java migration CityKeysFromTheContract, hence no V4 file here.
-- A cancelled preorder leaves the queue for good: it holds no unit; a unit it gave up went to the next customer in
-- line of its variant (or became a spare), and released_vin says which, for audit.
alter table production_queue drop constraint production_queue_status_check;
alter table production_queue add constraint production_queue_status_check
    check (status in ('QUEUED', 'BUILT', 'DELIVERY_SCHEDULED', 'CANCELLED'));
alter table production_queue drop constraint production_queue_check;
alter table production_queue add constraint production_queue_holds_a_unit_once_built
    check ((status in ('QUEUED', 'CANCELLED')) = (vin is null));

alter table production_queue
    add column cancelled_at timestamptz,
    add column released_vin text,
    add constraint production_queue_cancelled_when check ((status = 'CANCELLED') = (cancelled_at is not null)),
    add constraint production_queue_released_only_when_cancelled check (released_vin is null or status = 'CANCELLED');

-- Cancellations of preorders whose PreorderPlaced has not arrived yet (the topics are separate): taking the preorder
-- in, production stores it CANCELLED and never queues it.
create table held_cancellation (
    preorder_id  uuid primary key,
    cancelled_at timestamptz not null,
    held_at      timestamptz not null
);

-- Built units whose preorder was cancelled while no preorder of their variant was queued: the next preorder of that
-- variant taken in gets one (the earliest built first). While one is here, no preorder of its variant is queued.
create table spare_unit (
    vin           text primary key,
    variant       text        not null,
    plant         text        not null,
    built_at      timestamptz not null,
    built_on      date        not null,
    released_from uuid        not null,
    spared_at     timestamptz not null
);
create index spare_unit_next on spare_unit (variant, built_at, vin);
