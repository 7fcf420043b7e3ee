-- One queue of unbuilt preorders for all variants, first come first served by (placed_at, preorder_id): the queue
-- production-service builds from (one plant, one mixed-model line, a plant-wide plan). A preorder's estimate is its
-- place in that queue at the plant's observed build rate, not its place among its own variant at that variant's rate.
drop index preorder_eta_unbuilt;
create index preorder_eta_unbuilt on preorder_eta (placed_at, preorder_id) where status = 'PLACED';

-- The build rate counts every unit built, whatever its variant.
drop index unit_built_by_variant;
create index unit_built_by_built_at on unit_built (built_at);

-- The queue's length is one sum of deltas.
alter table eta_queue_delta drop column variant;
