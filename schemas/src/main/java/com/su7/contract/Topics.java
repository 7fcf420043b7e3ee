package com.su7.contract;

import java.time.Duration;
import java.util.List;

/** The one catalog of topic names. Every event topic is keyed by preorder id; the app's requests by their request id. */
public final class Topics {

    public static final String PREORDER_PLACED = "orders.preorder-placed";
    public static final String UNIT_BUILT = "production.unit-built";
    public static final String DELIVERY_SCHEDULED = "delivery.delivery-scheduled";
    /** What customers are shown about their car's arrival, for notification services. */
    public static final String ETA_CHANGED = "orders.eta-changed";
    /** Preorders cancelled within their refund window: production and delivery release what they held for them. */
    public static final String PREORDER_CANCELLED = "orders.preorder-cancelled";
    /** JSON preorder requests from the car app's backend (schema: {@code json/preorder-request.schema.json}). */
    public static final String PREORDER_REQUESTS = "app.preorder-requests";

    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    public static final String PREORDER_PLACED_DLT = PREORDER_PLACED + DEAD_LETTER_SUFFIX;
    public static final String UNIT_BUILT_DLT = UNIT_BUILT + DEAD_LETTER_SUFFIX;
    public static final String DELIVERY_SCHEDULED_DLT = DELIVERY_SCHEDULED + DEAD_LETTER_SUFFIX;
    public static final String ETA_CHANGED_DLT = ETA_CHANGED + DEAD_LETTER_SUFFIX;
    public static final String PREORDER_CANCELLED_DLT = PREORDER_CANCELLED + DEAD_LETTER_SUFFIX;
    public static final String PREORDER_REQUESTS_DLT = PREORDER_REQUESTS + DEAD_LETTER_SUFFIX;

    static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

    private static final int PARTITIONS = 6;
    private static final String KEY = "preorderId (UUID string)";

    // Events are the system of record for the projections, kept for good so a projection can be rebuilt from the
    // first event of the launch (a year is ~100,000 preorders and a few hundred thousand events: well under a GB).
    public static final TopicSpec PREORDER_PLACED_SPEC = new TopicSpec(PREORDER_PLACED, KEY, PARTITIONS, TopicSpec.FOREVER);
    public static final TopicSpec UNIT_BUILT_SPEC = new TopicSpec(UNIT_BUILT, KEY, PARTITIONS, TopicSpec.FOREVER);
    public static final TopicSpec DELIVERY_SCHEDULED_SPEC = new TopicSpec(DELIVERY_SCHEDULED, KEY, PARTITIONS, TopicSpec.FOREVER);
    public static final TopicSpec ETA_CHANGED_SPEC = new TopicSpec(ETA_CHANGED, KEY, PARTITIONS, TopicSpec.FOREVER);
    public static final TopicSpec PREORDER_CANCELLED_SPEC = new TopicSpec(PREORDER_CANCELLED, KEY, PARTITIONS, TopicSpec.FOREVER);
    public static final TopicSpec PREORDER_REQUESTS_SPEC =
            new TopicSpec(PREORDER_REQUESTS, "requestId (UUID string, the idempotency key)", PARTITIONS, Duration.ofDays(7));

    public static final List<TopicSpec> ALL = List.of(
            PREORDER_PLACED_SPEC, UNIT_BUILT_SPEC, DELIVERY_SCHEDULED_SPEC, ETA_CHANGED_SPEC, PREORDER_CANCELLED_SPEC,
            PREORDER_REQUESTS_SPEC);

    private Topics() {
    }

    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
