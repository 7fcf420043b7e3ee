-- The ETA refresh (every few seconds while builds or the queue change) reads every unbuilt preorder in queue order
-- with its transit days and the range shown. From this index alone (an index-only scan, in order: no sort, no heap), it
-- reads 50,000 of them in about half the time it took through preorder_eta_unbuilt and the table; with a year of
-- history beside them the planner no longer prefers preorder_eta_by_status and a sort (measured in the README's "Costs
-- that do not grow with history"). The price: a re-estimate writes an entry here (the range is in it) instead of a
-- heap-only update, once a day or so per preorder. Built concurrently, so a rolling upgrade does not hold placements
-- while it builds: Flyway runs a migration holding only this statement outside a transaction, and takes its own lock
-- per session (spring.flyway.postgresql.transactional-lock: false), as a concurrent build waits for every open
-- transaction.
create index concurrently if not exists preorder_eta_unbuilt_estimates on preorder_eta (placed_at, preorder_id)
    include (transit_days, eta_earliest, eta_latest) where status = 'PLACED';
