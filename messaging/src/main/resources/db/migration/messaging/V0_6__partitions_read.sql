-- How far each consumer has read each partition of its topic, in its events' own time (PartitionsRead): the latest
-- event time among the records of each partition it handled. Every event before the earliest of these has been read,
-- as each partition's events come in their time's order. orders-service and delivery-service end their observed build
-- rate's window there: a window ending after the latest build of all counted the builds of the partitions read
-- furthest and missed those behind. One row per consumer and partition, written only by the partition's owner.
create table partition_read (
    consumer        text        not null,
    topic_partition int         not null,
    read_up_to      timestamptz not null,
    primary key (consumer, topic_partition)
);
