-- A preorder cancelled within its refund window: when, and the reason the customer gave. Set once: a second request
-- answers the first outcome.
alter table preorder add column cancelled_at timestamptz, add column cancellation_reason text,
    add check ((cancelled_at is null) = (cancellation_reason is null));

-- When orders-service accepted the preorder (took the deposit): the refund window runs from here. placed_at is the
-- customer's place in the queue (an app request's tap); at a launch the two can be far apart, and a customer gets
-- the whole window after their order is confirmed. orders-service sets it from its clock; earlier rows: accepted when
-- placed, as near as is known.
alter table preorder add column accepted_at timestamptz;
update preorder set accepted_at = placed_at;
alter table preorder alter column accepted_at set not null, alter column accepted_at set default now();

-- A unit given to a preorder after the preorder it was built for was cancelled (UnitBuilt.reassignedFrom): stored as
-- this preorder's unit, but no new build, so the observed build rate does not count it.
alter table unit_built add column reassigned_from uuid;

-- Every cancellation, as a fact of the ETA projection like a unit built or a schedule: stored before it is applied,
-- so one replayed (by a projection rebuild) ahead of its PreorderPlaced is held until the preorder is placed.
create table preorder_cancelled (
    preorder_id  uuid        primary key,
    cancelled_at timestamptz not null
);
