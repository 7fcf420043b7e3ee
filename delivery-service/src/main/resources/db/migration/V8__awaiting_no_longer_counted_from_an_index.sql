-- V6's index of the awaiting preorders' centres served one count, which V7's deltas replaced: nothing reads it now,
-- and every placement and booking would keep writing it. Dropped concurrently, alone in its migration, as V6 built it
-- (Flyway runs it outside a transaction; spring.flyway.postgresql.transactional-lock: false).
drop index concurrently if exists delivery_preorder_awaiting_by_center;
