-- The production queue: one row per preorder this service has seen, from queued to built to delivery scheduled.
-- Queue order is first come, first served across all variants: placed_at, ties by preorder_id.
-- fillfactor leaves room for HOT updates: an ETA recomputation rewrites estimated_build_date/eta of every queued row.
create table production_queue (
    preorder_id          uuid primary key,
    variant              text        not null,
    delivery_city        text        not null,
    placed_at            timestamptz not null,
    queued_at            timestamptz not null,
    status               text        not null default 'QUEUED'
        check (status in ('QUEUED', 'BUILT', 'DELIVERY_SCHEDULED')),
    estimated_build_date date,       -- projected while queued; the factory date it was built on afterwards
    eta                  date,       -- estimated build date + transit; built date + transit; the scheduled date
    vin                  text unique,
    plant                text,
    built_on             date,
    built_at             timestamptz,
    delivery_center      text,
    delivery_date        date,
    delivery_revision    integer,
    check ((status = 'QUEUED') = (vin is null))
) with (fillfactor = 80);

-- The queue itself: only queued rows, in queue order (position look-ups, the lines, the ETA recomputation).
create index production_queue_order on production_queue (placed_at, preorder_id) where status = 'QUEUED';
create index production_queue_built_on on production_queue (built_on) where built_on is not null;

-- Units per factory day: periods [valid_from, valid_to), the last may be open-ended (valid_to null).
-- The exclusion constraint backs the API's validation: periods never overlap.
create table capacity_period (
    valid_from    date    primary key,
    valid_to      date,
    units_per_day integer not null check (units_per_day >= 0),
    check (valid_to is null or valid_to > valid_from),
    exclude using gist (daterange(valid_from, valid_to) with &&)
);

-- Who changed the plan, when and why; periods is the plan from effective_from on after the change.
create table capacity_plan_change (
    id             bigint generated always as identity primary key,
    changed_at     timestamptz not null,
    changed_by     text        not null,
    reason         text        not null,
    effective_from date        not null,
    periods        jsonb       not null,
    previous       jsonb       not null
);

-- The simulated lines' progress: every factory day up to last_built_date has been built (exactly once).
create table production_line (
    id              integer primary key check (id = 1),
    last_built_date date,
    updated_at      timestamptz
);
insert into production_line (id) values (1);

-- Transit days from the plant (Beijing Yizhuang) to a delivery city; the same defaults in every service.
-- A city not listed here gets su7.production.eta.default-transit-days (3).
create table city_transit (
    city         text    primary key,
    transit_days integer not null check (transit_days >= 0)
);
insert into city_transit (city, transit_days) values
    ('Beijing', 1), ('Tianjin', 1),
    ('Shanghai', 2), ('Hangzhou', 2), ('Nanjing', 2), ('Suzhou', 2), ('Wuhan', 2), ('Xi''an', 2),
    ('Guangzhou', 3), ('Shenzhen', 3), ('Chengdu', 3), ('Chongqing', 3);

-- VIN serial numbers (positions 12-17).
create sequence vin_serial minvalue 1 maxvalue 999999 no cycle;
