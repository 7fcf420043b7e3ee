-- Each row of eta_history is one change a customer was shown, and the EtaChanged event published for it: its
-- revision (1 for the first ETA, one more per change, per preorder) and the status shown with it. A preorder's
-- revision is its highest here. Kept with the history, not in preorder_eta: a projection rebuild replaces
-- preorder_eta with copies replayed from the topics, while what customers were shown (and notification services
-- were told) stays. Both are nullable: a rebuild's switch adds its REBUILT rows without them.
alter table eta_history add column revision int, add column status text;

-- Rows written before: numbered in the order they were written, with the status their cause implies.
update eta_history h
set revision = n.revision,
    status = case h.cause when 'PLACED' then 'PLACED' when 'RATE_CHANGED' then 'PLACED' when 'BUILT' then 'BUILT'
                          when 'SCHEDULED' then 'DELIVERY_SCHEDULED' when 'RESCHEDULED' then 'DELIVERY_SCHEDULED' end
from (select id, row_number() over (partition by preorder_id order by id) as revision from eta_history) n
where h.id = n.id;

-- Each revision once per preorder; the next revision is read from here (max + 1).
create unique index eta_history_revision on eta_history (preorder_id, revision);
