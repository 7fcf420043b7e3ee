package com.su7.delivery.support;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one lock every change of the delivery schedule takes first, held until its transaction ends: the
 * listeners of both topics, capacity changes, on every instance of the service. A free slot is then found and
 * taken without a race, a capacity change never interleaves with a booking, and no two transactions lock rows
 * in opposite orders. Scheduling is a few statements per unit, so one lock costs little throughput.
 */
@Component
public class ScheduleLock {

    /** Any constant, the same on every instance: a PostgreSQL transaction-level advisory lock key. */
    private static final long KEY = 0x5507_0001L;

    private final JdbcClient jdbc;

    ScheduleLock(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the lock unless this transaction holds it already (a batch of events asks once per event). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void acquire() {
        if (TransactionSynchronizationManager.hasResource(this)) {
            return;
        }
        jdbc.sql("select pg_advisory_xact_lock(?)").param(KEY).query().singleValue();
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(ScheduleLock.this);
            }
        });
    }
}
