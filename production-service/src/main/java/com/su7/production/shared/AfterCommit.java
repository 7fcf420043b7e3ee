package com.su7.production.shared;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Telling that a change happened (a log line, a metric) once it has: a change rolled back, such as a previewed plan
 * change, tells nothing.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Runs the action once the current transaction has committed; never if it rolls back. */
    public static void run(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
