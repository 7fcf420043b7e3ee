package com.su7.messaging.testapp;

import com.su7.events.PreorderPlaced;
import com.su7.messaging.inbox.PermanentEventException;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Faults the dead-letter tests switch on and off, for the preorders they name. */
@Component
public class HandlerFaults {

    private final Set<String> buggy = ConcurrentHashMap.newKeySet();
    private final Set<String> erring = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> refusedOnce = new ConcurrentHashMap<>();

    /** The handler throws an unexpected exception (a bug) for this preorder until {@link #clear}. */
    public void bugFor(String preorderId) {
        buggy.add(preorderId);
    }

    /** The handler throws an Error (a recursion that overflowed, say) for this preorder until {@link #clear}. */
    public void errorFor(String preorderId) {
        erring.add(preorderId);
    }

    /** The handler refuses this preorder's events as breaking a rule until {@link #clear}. */
    public void refuse(String preorderId) {
        refused.add(preorderId);
    }

    /** The handler refuses this preorder's events the first time it sees them only. */
    public void refuseOnce(String preorderId) {
        refusedOnce.put(preorderId, 0);
    }

    public void clear(String preorderId) {
        buggy.remove(preorderId);
        erring.remove(preorderId);
        refused.remove(preorderId);
    }

    void check(PreorderPlaced event) {
        String preorderId = event.getPreorderId();
        if (buggy.contains(preorderId)) {
            throw new IllegalStateException("a bug in the handler for " + preorderId);
        }
        if (erring.contains(preorderId)) {
            throw new StackOverflowError("a recursion in the handler for " + preorderId);
        }
        if (refused.contains(preorderId)) {
            throw new PermanentEventException("preorder %s breaks a rule".formatted(preorderId));
        }
        if (refusedOnce.computeIfPresent(preorderId, (id, seen) -> seen + 1) instanceof Integer seen && seen == 1) {
            throw new PermanentEventException("preorder %s breaks a rule, this once".formatted(preorderId));
        }
    }
}
