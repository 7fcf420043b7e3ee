package com.su7.production.queue;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps taking preorders in and cancelling them apart: intake batches share the lock (they do not wait for each
 * other), a cancellation holds it alone. So a cancellation sees every preorder taken in before it, and a preorder
 * taken in after it finds the cancellation held for it and the spare unit it left. Without it, a PreorderPlaced and
 * its PreorderCancelled applied at the same moment would leave the preorder queued and its cancellation held, and a
 * spare unit could wait beside a queued preorder of its variant. Intake stays out of the queue lock
 * ({@code ProductionDays.lock}) all the same.
 */
@Component
class IntakeLock {

    /** Arbitrary but fixed, and not the queue lock's: the transaction-scoped advisory lock over intake. */
    private static final long INTAKE_LOCK = 7_420_106L;

    private final JdbcTemplate jdbc;

    IntakeLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Held with other intake batches until the end of the current transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void share() {
        jdbc.queryForObject("select pg_advisory_xact_lock_shared(?)::text", String.class, INTAKE_LOCK);
    }

    /** Held alone until the end of the current transaction, once the intake batches under way have committed. */
    @Transactional(propagation = Propagation.MANDATORY)
    void exclude() {
        jdbc.queryForObject("select pg_advisory_xact_lock(?)::text", String.class, INTAKE_LOCK);
    }
}
