-- Cities match as delivery-service matches them: case and punctuation aside ("XI'AN", "Xian", "xi'an" are Xi'an).
alter table city_transit
    add column city_key text generated always as (lower(regexp_replace(city, '[^A-Za-z]', '', 'g'))) stored;
create unique index city_transit_by_key on city_transit (city_key);

alter table production_queue
    add column city_key text generated always as (lower(regexp_replace(delivery_city, '[^A-Za-z]', '', 'g'))) stored;
