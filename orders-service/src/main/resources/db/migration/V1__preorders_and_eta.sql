-- Preorders as the customer placed them. The idempotency key is unique, so two concurrent requests with the
-- same key cannot both insert; request_hash (SHA-256 of the canonical request) tells a replay from a conflict.
create table preorder (
    id              uuid          primary key,
    idempotency_key text          not null unique,
    request_hash    text          not null,
    customer_id     text          not null,
    variant         text          not null,
    exterior_color  text          not null,
    delivery_city   text          not null,
    deposit         numeric(12, 2) not null check (deposit > 0),
    channel         text          not null,
    entry_point     text          not null, -- REST or APP_EVENT
    placed_at       timestamptz   not null
);

create index preorder_by_customer on preorder (customer_id, placed_at, id);

-- The customer-facing ETA projection, built only from events. earliest = latest once the date is exact.
create table preorder_eta (
    preorder_id       uuid        primary key references preorder (id),
    variant           text        not null,
    transit_days      int         not null,
    placed_at         timestamptz not null,
    status            text        not null, -- PLACED, BUILT, DELIVERY_SCHEDULED
    vin               text,
    built_at          timestamptz,
    delivery_center   text,
    schedule_revision int,
    eta_earliest      date        not null,
    eta_latest        date        not null,
    updated_at        timestamptz not null
);

-- The queue of unbuilt preorders of a variant, first come first served: positions and the refresh read it.
create index preorder_eta_unbuilt on preorder_eta (variant, placed_at, preorder_id) where status = 'PLACED';
create index preorder_eta_by_status on preorder_eta (status);

-- Every change of a preorder's ETA, with its cause (PLACED, RATE_CHANGED, BUILT, SCHEDULED, RESCHEDULED).
create table eta_history (
    id           bigint      generated always as identity primary key,
    preorder_id  uuid        not null,
    at           timestamptz not null,
    cause        text        not null,
    old_earliest date,
    old_latest   date,
    new_earliest date        not null,
    new_latest   date        not null
);

create index eta_history_by_preorder on eta_history (preorder_id, id);

-- Every UnitBuilt seen, one per preorder: the observed build rate is counted here, and a unit built for a
-- preorder not (yet) known is held here until the preorder appears.
create table unit_built (
    preorder_id uuid        primary key,
    vin         text        not null,
    variant     text        not null,
    built_at    timestamptz not null
);

create index unit_built_by_variant on unit_built (variant, built_at);

-- The latest delivery schedule of each preorder (the highest revision wins), also for preorders not yet known.
create table delivery_schedule (
    preorder_id     uuid primary key,
    vin             text not null,
    delivery_center text not null,
    delivery_date   date not null,
    revision        int  not null
);
