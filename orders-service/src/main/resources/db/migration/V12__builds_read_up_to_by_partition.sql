-- How far each partition of production.unit-built has been read: the latest built_at among the units read from it.
-- The observed build rate counts the builds up to the earliest of these (ObservedBuildRate.windowEndWhereEveryPartitionIsRead):
-- partitions are read at different paces, and a window ending after the latest build of all missed the builds of the
-- partitions behind (half of them in a launch with one-second factory days, the rate swinging two- to three-fold). One
-- row per partition, written only by the consumer that owns the partition: no writer waits for another.
create table unit_built_read_up_to (
    topic_partition int         primary key,
    built_at        timestamptz not null
);
