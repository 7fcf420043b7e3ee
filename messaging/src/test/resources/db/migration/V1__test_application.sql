-- The test application's own state: which events its listener applied, in the order it applied them.
create table applied_event (
    applied_order  bigint generated always as identity primary key,
    consumer       text not null,
    event_id       text not null,
    preorder_id    text not null,
    sequence       int  not null,
    traceparent    text, -- of the span it was applied in
    correlation_id text
);
