-- A queued preorder keeps the trace its PreorderPlaced was taken in with (W3C traceparent of that span), so the
-- UnitBuilt its unit gets days later continues the preorder's trace. Null for preorders taken in before (or by an
-- earlier release during a rolling upgrade): their UnitBuilt goes out without a trace.
alter table production_queue add column traceparent text;
