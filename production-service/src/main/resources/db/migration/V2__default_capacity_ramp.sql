-- The default ramp of a new plant, from the launch day on: a few hundred units a day, over a thousand by autumn.
-- Ops change it with PUT /api/production/capacity-plan.
insert into capacity_period (valid_from, valid_to, units_per_day) values
    ('2026-03-28', '2026-04-25', 300),
    ('2026-04-25', '2026-05-23', 500),
    ('2026-05-23', '2026-06-20', 700),
    ('2026-06-20', '2026-08-01', 900),
    ('2026-08-01', null, 1200);

insert into capacity_plan_change (changed_at, changed_by, reason, effective_from, periods, previous) values
    (now(), 'migration V2', 'default ramp of a new plant', '2026-03-28',
     '[{"from": "2026-03-28", "to": "2026-04-25", "unitsPerDay": 300},
       {"from": "2026-04-25", "to": "2026-05-23", "unitsPerDay": 500},
       {"from": "2026-05-23", "to": "2026-06-20", "unitsPerDay": 700},
       {"from": "2026-06-20", "to": "2026-08-01", "unitsPerDay": 900},
       {"from": "2026-08-01", "to": null, "unitsPerDay": 1200}]', '[]');
