package com.su7.messaging.deadletter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which dead letters a listing or a redrive means; every field is optional.
 *
 * @param topic      the source topic
 * @param consumer   the consumer (listener id) that refused them
 * @param preorderId the record key (on the app's request topic, the request id)
 * @param exception  part of the exception class name or of the reason, case-insensitive
 * @param from       dead-lettered at or after
 * @param to         dead-lettered before
 * @param state      in this state only
 */
public record DeadLetterFilter(String topic, String consumer, String preorderId, String exception,
                               Instant from, Instant to, DeadLetterState state) {

    public static DeadLetterFilter all() {
        return new DeadLetterFilter(null, null, null, null, null, null, null);
    }

    public DeadLetterFilter inState(DeadLetterState wanted) {
        return new DeadLetterFilter(topic, consumer, preorderId, exception, from, to, wanted);
    }

    /** The conditions as SQL over {@code dead_letter}, with their arguments appended to {@code args}. */
    String where(List<Object> args) {
        List<String> conditions = new ArrayList<>();
        conditions.add("true");
        condition(conditions, args, "topic = ?", topic);
        condition(conditions, args, "consumer = ?", consumer);
        condition(conditions, args, "record_key = ?", preorderId);
        if (exception != null && !exception.isBlank()) {
            conditions.add("(exception_class ilike ? or reason ilike ?)");
            String pattern = "%" + exception.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            args.add(pattern);
            args.add(pattern);
        }
        condition(conditions, args, "created_at >= ?", from == null ? null : java.sql.Timestamp.from(from));
        condition(conditions, args, "created_at < ?", to == null ? null : java.sql.Timestamp.from(to));
        condition(conditions, args, "state = ?", state == null ? null : state.name());
        return String.join(" and ", conditions);
    }

    private static void condition(List<String> conditions, List<Object> args, String sql, Object value) {
        if (value != null && !(value instanceof String text && text.isBlank())) {
            conditions.add(sql);
            args.add(value);
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (topic != null) parts.add("topic=" + topic);
        if (consumer != null) parts.add("consumer=" + consumer);
        if (preorderId != null) parts.add("preorderId=" + preorderId);
        if (exception != null) parts.add("exception=" + exception);
        if (from != null) parts.add("from=" + from);
        if (to != null) parts.add("to=" + to);
        if (state != null) parts.add("state=" + state);
        return parts.isEmpty() ? "all" : String.join(" ", parts);
    }
}
