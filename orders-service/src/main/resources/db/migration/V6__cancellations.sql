-- A preorder cancelled within its refund window: when, and the reason the customer gave. Set once: a second request
-- answers the first outcome.
alter table preorder add column cancelled_at timestamptz, add column cancellation_reason text,
    add check ((cancelled_at is null) = (cancellation_reason is null));

-- A unit given to a preorder after the preorder it was built for was cancelled (UnitBuilt.reassignedFrom): stored as
-- this preorder's unit, but no new build, so the observed build rate does not count it.
alter table unit_built add column reassigned_from uuid;

-- Every cancellation, as a fact of the ETA projection like a unit built or a schedule: stored before it is applied,
-- so one replayed (by a projection rebuild) ahead of its PreorderPlaced is held until the preorder is placed.
create table preorder_cancelled (
    preorder_id  uuid        primary key,
    cancelled_at timestamptz not null
);
