-- The summary's preorders placed per factory day count every preorder placed in a few days, whatever its status now:
-- a range of this index (index-only where the visibility map allows), not a scan of the whole history that
-- production_queue_order (queued ones only) cannot serve. A plain create index, inside Flyway's transaction: it holds
-- writes to production_queue while it runs (seconds for a million rows), as delivery's V5 does.
create index production_queue_placed_at on production_queue (placed_at);
