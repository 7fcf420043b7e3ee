package com.su7.messaging.benchmark;

import com.su7.messaging.count.KeptCounts;
import com.su7.messaging.deadletter.DeadLetterStore;
import com.su7.messaging.inbox.ProcessedEventsCleanup;
import com.su7.messaging.outbox.OutboxBacklog;
import com.su7.testsupport.PeriodicQueries;
import org.springframework.beans.factory.BeanFactory;

/**
 * What every service built on this module asks its database on its own schedule, for a service's history benchmark to
 * time beside its own queries. In messaging's test jar: the services' tests take it from there (test-support cannot
 * hold it, as messaging's own tests depend on test-support).
 */
public final class MessagingChores {

    private MessagingChores() {
    }

    /**
     * Adds the outbox's backlog gauge, the dead letters' tally and release, the clean-up of processed event ids, and the
     * fold of every count the service keeps.
     */
    public static PeriodicQueries timedIn(PeriodicQueries queries, BeanFactory service) {
        OutboxBacklog outboxBacklog = service.getBean(OutboxBacklog.class);
        DeadLetterStore deadLetters = service.getBean(DeadLetterStore.class);
        ProcessedEventsCleanup processedEventsCleanup = service.getBean(ProcessedEventsCleanup.class);
        KeptCounts keptCounts = service.getBean(KeptCounts.class);
        return queries.add("OutboxBacklog.measure", "every 5 s", outboxBacklog::measure)
                .add("DeadLetterStore.tally", "every 15 s", deadLetters::tally)
                .add("DeadLetterStore.releasableChains", "every 30 s", () -> deadLetters.releasableChains(10_000))
                .add("ProcessedEventsCleanup.cleanUp", "every 10 min", processedEventsCleanup::cleanUp)
                .add("KeptCounts.foldAll", "every 5 s", keptCounts::foldAll);
    }
}
