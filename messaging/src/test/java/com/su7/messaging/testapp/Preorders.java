package com.su7.messaging.testapp;

import com.su7.contract.Topics;
import com.su7.events.PreorderPlaced;
import com.su7.messaging.outbox.Outbox;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/** Places preorders the way a service does: the event recorded in the transaction of the state change. */
@Component
public class Preorders {

    private final Outbox outbox;

    Preorders(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional
    public void place(List<PreorderPlaced> events) {
        events.forEach(event ->
                outbox.record(Topics.PREORDER_PLACED, event.getPreorderId(), event));
    }
}
