-- The awaiting preorders per centre (DeliveryGauges, every 5 s; the summary) were counted from
-- delivery_preorder_awaiting, whose entries carry the placement and the id too: 50,000 awaiting read ~730 pages (5 ms
-- here). This index holds the centre only, deduplicated into a few dozen pages (~2.5 ms; measured in the README's "Costs
-- that do not grow with history"). Built concurrently, so a rolling upgrade does not hold the placements' writes while
-- it builds: Flyway runs a migration holding only this statement outside a transaction, and takes its own lock per
-- session (spring.flyway.postgresql.transactional-lock: false), as a concurrent build waits for every open transaction.
create index concurrently if not exists delivery_preorder_awaiting_by_center on delivery_preorder (center_city)
    where status = 'AWAITING_UNIT';
