-- Outbox rows and dead letters keep the trace of what recorded them: the W3C traceparent of the span that recorded
-- the event (the relay's record continues it), or of the record set aside (a redrive continues it). correlation_id
-- keeps a caller's own X-Correlation-Id beside it, as before. Nullable, and nothing reads it that an earlier release
-- runs: during a rolling upgrade the previous release's relay keeps sending rows (it selects its columns by name,
-- without this one) and writes rows without it, which go out without a trace (their correlation id still travels).
alter table outbox_message add column traceparent text;
alter table dead_letter add column traceparent text;
