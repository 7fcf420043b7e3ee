-- VIN serials count per model year and plant (VIN positions 10 and 11), as real VINs do: the one global sequence
-- stopped for good at 999,999 units, ten years of a 100,000-a-year plant, and then every factory day failed.
create table vin_serials (
    model_year  integer not null,
    plant_code  text    not null,
    last_serial integer not null check (last_serial between 0 and 999999),
    primary key (model_year, plant_code)
);

-- Carry on from the VINs already issued: positions 10-17 must never repeat within a model year and plant.
insert into vin_serials (model_year, plant_code, last_serial)
select extract(year from built_on)::integer, substr(vin, 11, 1), max(substr(vin, 12, 6)::integer)
from production_queue
where vin is not null
group by 1, 2;

drop sequence vin_serial;
