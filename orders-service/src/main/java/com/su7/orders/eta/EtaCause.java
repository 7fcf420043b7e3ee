package com.su7.orders.eta;

/** Why a preorder's ETA changed. */
public enum EtaCause {
    /** the first estimate, when the preorder was placed */
    PLACED,
    /** re-estimated: the observed build rate or the preorder's place in the queue changed */
    RATE_CHANGED,
    /** the car was built: build date plus transit */
    BUILT,
    /** the first delivery schedule */
    SCHEDULED,
    /** a higher schedule revision */
    RESCHEDULED,
    /** re-estimated because preorders ahead in the queue were cancelled (and the build rate stayed) */
    CANCELLATION_AHEAD,
    /** the projection was rebuilt from the topics and its date or status differed from the one shown before */
    REBUILT,
    /** the customer cancelled the preorder */
    CANCELLED
}
