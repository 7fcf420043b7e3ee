-- No statement looks preorders up by status any more: the unbuilt ones are read through their own partial index
-- (V9), and the stats sum the status deltas (V8) instead of counting through this index. It only cost every insert
-- and every status change an index entry (two or three per preorder). Concurrently, alone in its migration: Flyway runs
-- it outside a transaction, and writes go on while it is dropped.
drop index concurrently if exists preorder_eta_by_status;
