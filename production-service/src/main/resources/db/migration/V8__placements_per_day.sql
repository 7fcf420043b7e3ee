-- Ops' summary counts the preorders placed per factory day of the last weeks: a range of this index, whatever the
-- preorders' status now, and however many earlier preorders the table holds.
create index production_queue_placed_at on production_queue (placed_at);
