-- preorder_eta_unbuilt_estimates (V9) serves everything preorder_eta_unbuilt did (a placement's range read from its
-- batch's earliest placement, queue order): one index to write per placement, not two. Dropped concurrently, for the
-- same reason V9 was built so.
drop index concurrently if exists preorder_eta_unbuilt;
