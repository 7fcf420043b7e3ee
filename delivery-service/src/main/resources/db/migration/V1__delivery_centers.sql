-- One delivery centre per city of the shared city list; transit days from the plant (Beijing Yizhuang) are the
-- same defaults production-service and orders-service use. Capacities are sized so the whole network hands
-- over about 1,500 cars a day, bigger cities more; ops change them through PUT /api/delivery/centers/{city}.
create table center (
    city           text        primary key,
    -- lower-case letters only ("Xi'an" -> "xian"): how event and URL city names are matched
    city_key       text        not null generated always as (lower(regexp_replace(city, '[^A-Za-z]', '', 'g'))) stored,
    name           text        not null unique,
    transit_days   int         not null check (transit_days >= 0),
    daily_capacity int         not null check (daily_capacity > 0),
    updated_at     timestamptz not null default now()
);

create unique index center_by_key on center (city_key);

insert into center (city, name, transit_days, daily_capacity) values
    ('Beijing',   'Beijing Delivery Center',   1, 220),
    ('Tianjin',   'Tianjin Delivery Center',   1,  60),
    ('Shanghai',  'Shanghai Delivery Center',  2, 220),
    ('Hangzhou',  'Hangzhou Delivery Center',  2, 110),
    ('Nanjing',   'Nanjing Delivery Center',   2,  90),
    ('Suzhou',    'Suzhou Delivery Center',    2,  80),
    ('Wuhan',     'Wuhan Delivery Center',     2, 100),
    ('Xi''an',    'Xi''an Delivery Center',    2,  80),
    ('Guangzhou', 'Guangzhou Delivery Center', 3, 160),
    ('Shenzhen',  'Shenzhen Delivery Center',  3, 160),
    ('Chengdu',   'Chengdu Delivery Center',   3, 120),
    ('Chongqing', 'Chongqing Delivery Center', 3, 100);

-- Who changed a centre's capacity, when and why (append-only).
create table center_capacity_change (
    id                bigint      generated always as identity primary key,
    city              text        not null references center (city),
    previous_capacity int         not null,
    new_capacity      int         not null,
    changed_by        text        not null,
    reason            text        not null,
    changed_at        timestamptz not null
);

create index center_capacity_change_by_city on center_capacity_change (city, changed_at);
