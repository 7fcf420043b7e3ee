-- Shared by every service (the messaging module's migrations run before the service's own, V1 onwards).

-- Events recorded in the same transaction as the state change that caused them; the relay publishes them in
-- id order and deletes them once Kafka has acknowledged them, so the table holds only the backlog.
create table outbox_event (
    id             bigint generated always as identity primary key,
    topic          text        not null,
    message_key    text        not null,
    event_type     text        not null, -- full name of the Avro class; the payload is written with its schema
    payload        bytea       not null, -- Avro binary, without the wire-format header (the relay adds it)
    correlation_id text,
    created_at     timestamptz not null default now()
);

-- Events a consumer has applied, recorded in the transaction that applied them: a redelivered or duplicated
-- event (same event id) is skipped. Rows older than the deduplication window are deleted on a schedule.
create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);

create index processed_event_by_age on processed_event (processed_at);
