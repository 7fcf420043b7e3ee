-- Dead letters, kept by the service that refused them (its own database, beside the inbox): what ops list and
-- redrive. The record's original bytes live here whatever their size, so a dead letter never needs the broker to
-- take it whole. Messaging's migrations are numbered below the services' and applied out of order (see
-- MessagingAutoConfiguration), so a service that already ran its own V1.. gets this one on upgrade.
create table dead_letter (
    id               bigint generated always as identity primary key,
    consumer         text        not null, -- the inbox consumer, which is also the listener id
    consumer_group   text,
    topic            text        not null,
    record_partition int         not null,
    record_offset    bigint      not null,
    record_key       text,                 -- the preorder id (app requests: the request id)
    record_timestamp timestamptz,
    correlation_id   text,
    payload          bytea,                -- the original value, byte for byte (null if the record had none)
    -- OPEN: the event is at fault, waiting for ops; WAITING: held behind an earlier dead letter of the same key;
    -- PARKED: failed again after the allowed redrives, reported and never redriven again; RESOLVED: applied.
    state            text        not null check (state in ('OPEN', 'WAITING', 'PARKED', 'RESOLVED')),
    exception_class  text        not null,
    reason           text        not null,
    attempts         int         not null, -- deliveries that failed before it was dead-lettered
    first_failed_at  timestamptz not null,
    last_failed_at   timestamptz not null,
    redrives         int         not null default 0,
    published        boolean     not null default false, -- a copy reached <topic>.DLT
    resolution       text,
    resolved_at      timestamptz,
    created_at       timestamptz not null default now(),
    -- a batch redelivered after a crash sets the same record aside once
    unique (consumer, topic, record_partition, record_offset)
);

-- The gate every batch passes: is a key of this batch held by an unresolved dead letter?
create index dead_letter_unresolved_by_key on dead_letter (consumer, record_key) where state <> 'RESOLVED';
create index dead_letter_by_time on dead_letter (created_at);

-- Every redrive, dry runs included: who asked, for what, and how it went.
create table dead_letter_redrive (
    id              bigint generated always as identity primary key,
    requested_by    text        not null,
    requested_at    timestamptz not null default now(),
    filter          text        not null,
    dry_run         boolean     not null,
    matched         int         not null,
    applied         int         not null,
    already_applied int         not null,
    failed          int         not null,
    parked          int         not null,
    finished_at     timestamptz
);
