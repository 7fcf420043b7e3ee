-- The summary's queue length by variant counted the queued preorders from the table (a bitmap scan of
-- production_queue_order, then every queued row's heap page: 50,000 queued, ~10 ms). This index holds the variant of
-- the queued ones only, deduplicated into a few dozen pages: an index-only count (measured in the README's "Costs that
-- do not grow with history"), which the queue's length (each scrape) can take too. It costs a queued preorder one
-- entry, nothing when it leaves the queue. Built concurrently, so a rolling upgrade does not hold intake while it
-- builds: Flyway runs a migration holding only this statement outside a transaction, and takes its own lock per
-- session (spring.flyway.postgresql.transactional-lock: false), as a concurrent build waits for every open transaction.
create index concurrently if not exists production_queue_queued_by_variant on production_queue (variant)
    where status = 'QUEUED';
