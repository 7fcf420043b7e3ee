package com.su7.simulation;

import com.su7.events.EtaChanged;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The notification service's work on each {@link EtaChanged}: once per eventId (a redelivered or re-produced change
 * has the same id and is skipped), through the {@link PushPolicy}; it keeps what it received and what it pushed for
 * the report. A real service would keep the ids it has seen, and its policy's state, in its own database; here they
 * live as long as the run. Safe to call from the consumer's thread while the progress line reads it.
 */
final class Notifications {

    private final PushPolicy policy;
    private final Set<String> seen = new HashSet<>();
    private final List<EtaNotice> received = new ArrayList<>();
    private final List<Push> pushed = new ArrayList<>();
    private long duplicates;

    Notifications(PushPolicy policy) {
        this.policy = policy;
    }

    /** A change read from the topic at {@code now}, which was on the topic from {@code onTopicAt}. */
    synchronized void on(EtaChanged event, Instant onTopicAt, Instant now) {
        if (!seen.add(event.getEventId())) {
            duplicates++;
            return;
        }
        EtaNotice notice = EtaNotice.of(event, onTopicAt);
        received.add(notice);
        policy.on(notice, now).ifPresent(pushed::add);
    }

    /** Sends the held changes that may go out now (a new factory day began for their customers). */
    synchronized void tick(Instant now) {
        pushed.addAll(policy.due(now));
    }

    synchronized List<EtaNotice> received() {
        return List.copyOf(received);
    }

    synchronized List<Push> pushed() {
        return List.copyOf(pushed);
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized int held() {
        return policy.held();
    }

    /** For the progress line and the chart, as it goes. */
    synchronized long preordersToldEarlier() {
        return policy.preordersToldEarlier();
    }
}
