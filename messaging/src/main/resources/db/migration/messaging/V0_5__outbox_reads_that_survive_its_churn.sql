-- The outbox is a queue: thousands of rows a second are written and deleted, so between autovacuum's visits it holds
-- far more dead rows than live ones, and each analyze finds it nearly empty. A planner that believes it empty scans it
-- whole, dead rows and all: the relay's reads therefore go by index (see OutboxRelay), and this keeps the dead few.
-- Vacuum once a few thousand rows died, not a fifth of the table's (tiny) size, and without pausing: measured, the
-- pipeline benchmark left 88,000 dead rows per 20,000 preorders and the relay's delete then took 150 ms a batch.
alter table outbox_message set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                autovacuum_vacuum_cost_delay = 0, autovacuum_analyze_scale_factor = 0,
                                autovacuum_analyze_threshold = 5000);
