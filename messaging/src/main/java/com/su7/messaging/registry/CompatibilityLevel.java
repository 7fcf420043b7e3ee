package com.su7.messaging.registry;

/**
 * The Confluent compatibility levels, each as the two promises it makes about a new schema: which earlier versions'
 * events it must read (backward) and which earlier versions' readers must read its events (forward).
 */
public enum CompatibilityLevel {

    NONE(Versions.NONE, Versions.NONE),
    BACKWARD(Versions.LATEST, Versions.NONE),
    BACKWARD_TRANSITIVE(Versions.ALL, Versions.NONE),
    FORWARD(Versions.NONE, Versions.LATEST),
    FORWARD_TRANSITIVE(Versions.NONE, Versions.ALL),
    FULL(Versions.LATEST, Versions.LATEST),
    FULL_TRANSITIVE(Versions.ALL, Versions.ALL);

    /** How many earlier versions a promise covers, from none to all. */
    private enum Versions { NONE, LATEST, ALL }

    private final Versions backward;
    private final Versions forward;

    CompatibilityLevel(Versions backward, Versions forward) {
        this.backward = backward;
        this.forward = forward;
    }

    /**
     * Whether this level makes every promise the other one makes, in both directions: FULL_TRANSITIVE is at least as
     * strict as every level, NONE as none but itself. Some pairs are neither (FULL and BACKWARD_TRANSITIVE: each
     * promises what the other does not).
     */
    public boolean isAtLeastAsStrictAs(CompatibilityLevel other) {
        return backward.compareTo(other.backward) >= 0 && forward.compareTo(other.forward) >= 0;
    }
}
