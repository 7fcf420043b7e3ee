-- A preorder's history is found through eta_history_revision (preorder_id, revision), which also gives its next
-- revision; the older (preorder_id, id) index only cost every history row, three or more per preorder, a second
-- index entry (the history is read in revision order: revisions follow the rows' order).
drop index eta_history_by_preorder;
