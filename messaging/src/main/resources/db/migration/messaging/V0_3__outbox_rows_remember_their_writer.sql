-- Outbox rows that remember their writer: the registry's id of the schema the payload was written with, so the
-- relay sends the bytes as written (Confluent wire format: magic byte, that id, the payload) and never decodes them
-- with the class it runs now, which after a deploy that changed the schema misread or refused the rows the previous
-- version left. A new table, not new columns: a previous-release instance still running during a rolling upgrade
-- keeps relaying its own outbox_event rows with its own classes and never sees these.
create table outbox_message (
    id               bigint generated always as identity primary key,
    topic            text        not null,
    message_key      text        not null,
    schema_id        integer,     -- null only for a row adopted from outbox_event: its writer is release v0.1.0
    legacy_type      text,        -- that row's event class (outbox_event.event_type)
    payload          bytea       not null, -- Avro binary written with schema_id's schema, without the wire header
    correlation_id   text,
    created_at       timestamptz not null default now(),
    set_aside_at     timestamptz, -- the relay could not send it (set_aside_reason); it holds its key's later rows
    set_aside_reason text,
    check (schema_id is not null or legacy_type is not null),
    check ((set_aside_at is null) = (set_aside_reason is null))
);

-- The keys held behind a row set aside: a handful of rows at most, looked up on every batch.
create index outbox_message_set_aside on outbox_message (topic, message_key, id) where set_aside_at is not null;
