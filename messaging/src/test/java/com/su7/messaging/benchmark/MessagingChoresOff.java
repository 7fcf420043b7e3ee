package com.su7.messaging.benchmark;

import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * None of the messaging module's chores runs on its own (each waits an hour): a benchmark calls them when it times
 * them ({@link MessagingChores}). The service's own chores are switched off beside it, with the test's own
 * {@code @TestPropertySource}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestPropertySource(properties = {"su7.messaging.outbox.measure-interval=1h", "su7.messaging.outbox.poll-interval=1h",
        "su7.messaging.dead-letters.metrics-interval=1h", "su7.messaging.dead-letters.release-interval=1h",
        "su7.messaging.inbox.cleanup-interval=1h", "su7.messaging.counts.fold-interval=1h"})
public @interface MessagingChoresOff {
}
