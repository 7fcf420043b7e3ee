package com.su7.contract;

import com.su7.events.DeliveryScheduled;
import com.su7.events.EtaChanged;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.UnitBuilt;
import org.apache.avro.Schema;

import java.util.List;

/** Which Avro schema each event topic carries: the value subject {@code <topic>-value} holds it. */
public final class EventSchemas {

    public record EventSchema(TopicSpec topic, Schema schema) {

        public String subject() {
            return topic.valueSubject();
        }
    }

    public static final EventSchema PREORDER_PLACED = new EventSchema(Topics.PREORDER_PLACED_SPEC, PreorderPlaced.getClassSchema());
    public static final EventSchema UNIT_BUILT = new EventSchema(Topics.UNIT_BUILT_SPEC, UnitBuilt.getClassSchema());
    public static final EventSchema DELIVERY_SCHEDULED =
            new EventSchema(Topics.DELIVERY_SCHEDULED_SPEC, DeliveryScheduled.getClassSchema());
    public static final EventSchema ETA_CHANGED = new EventSchema(Topics.ETA_CHANGED_SPEC, EtaChanged.getClassSchema());

    public static final EventSchema PREORDER_CANCELLED =
            new EventSchema(Topics.PREORDER_CANCELLED_SPEC, PreorderCancelled.getClassSchema());

    public static final List<EventSchema> ALL = List.of(PREORDER_PLACED, UNIT_BUILT, DELIVERY_SCHEDULED, ETA_CHANGED, PREORDER_CANCELLED);

    private EventSchemas() {
    }
}
