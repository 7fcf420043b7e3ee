-- The gauges (DeliveryGauges, every 5 s) count what is live, never the year of hand-overs behind it: measured with
-- 1,000,000 delivered preorders (DeliveryHistoryBenchmark), the held count and the per-centre backlog read the whole
-- table. The held units: a handful of rows, counted from an index of only them.
create index delivery_preorder_held on delivery_preorder (preorder_id) where status = 'HELD';
-- The hand-overs booked from today on, per centre: a range of this index from today, whatever lies before it
-- (delivery_preorder_scheduled leads with the centre, so a count over every centre read all of it).
create index delivery_preorder_scheduled_ahead on delivery_preorder (delivery_date, center_city) where status = 'SCHEDULED';
-- Plain create index, inside Flyway's transaction: it locks writes to delivery_preorder while it builds (measured: see
-- the README's "Costs that do not grow with history"); concurrently would need a migration outside a transaction.
