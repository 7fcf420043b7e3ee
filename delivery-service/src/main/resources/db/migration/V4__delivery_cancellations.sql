-- (V3 is the Java migration CityKeysFromTheContract.)
-- Cancelled preorders (PreorderCancelled, contract v0.3.0), on the same one row per preorder:
--   CANCELLED  never scheduled again. From AWAITING_UNIT or HELD it keeps what it had; from SCHEDULED its slot
--              was freed (delivery_date cleared, revision = the last DeliveryScheduled published); with no row
--              yet (the cancellation came before PreorderPlaced and UnitBuilt) it is remembered alone, and the
--              preorder's later events schedule nothing. A unit reported for it later is kept (vin, built_at):
--              it was built, and the build rate counts it.
alter table delivery_preorder
    drop constraint delivery_preorder_status_check,
    add constraint delivery_preorder_status_check check (status in ('AWAITING_UNIT', 'HELD', 'SCHEDULED', 'CANCELLED')),
    add column cancelled_at timestamptz,
    -- UnitBuilt.reassignedFrom: the unit was built for that cancelled preorder and went to this one; no new build
    add column reassigned_from text,
    add constraint cancelled_is_not_booked check (status <> 'CANCELLED' or (cancelled_at is not null and delivery_date is null));

-- The build rate counts units built for their preorder, not units handed on from a cancelled one.
drop index delivery_preorder_by_build;
create index delivery_preorder_by_build on delivery_preorder (built_at) where built_at is not null and reassigned_from is null;
