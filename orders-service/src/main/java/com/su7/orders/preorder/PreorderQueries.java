package com.su7.orders.preorder;

import com.su7.contract.PreorderId;
import com.su7.orders.eta.EtaChange;
import com.su7.orders.eta.EtaHistory;
import com.su7.orders.eta.EtaQueries;
import com.su7.orders.eta.EtaState;
import com.su7.orders.eta.PreorderStatusCounts;
import com.su7.orders.eta.ProjectionStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads preorders with their place in the ETA projection. */
@Component
class PreorderQueries {

    static final Duration STATS_MAX_AGE = Duration.ofSeconds(1);

    private final Preorders preorders;
    private final EtaQueries eta;
    private final EtaHistory history;
    private final PreorderStatusCounts counts;
    // Wall-clock time, not the factory's: how old an answer may be is about the database's load.
    private final Clock clock = Clock.systemUTC();
    private PreorderStats stats;

    PreorderQueries(Preorders preorders, EtaQueries eta, EtaHistory history, PreorderStatusCounts counts) {
        this.preorders = preorders;
        this.eta = eta;
        this.history = history;
        this.counts = counts;
    }

    /** A preorder as the customer sees it: the batch read with a batch of one. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    PreorderView find(PreorderId id) {
        PreorderView view = viewsOf(preorders.findAll(List.of(id.value()))).get(id);
        if (view == null) {
            throw new PreorderNotFoundException(id.toString());
        }
        return view;
    }

    /** Many preorders as {@link #find} shows each one, with three statements in one snapshot; unknown ids are absent. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    Map<PreorderId, PreorderView> findAll(List<PreorderId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return viewsOf(preorders.findAll(ids.stream().map(PreorderId::value).toList()));
    }

    /** The preorders with their ETAs and histories: two statements for any number of them. */
    private Map<PreorderId, PreorderView> viewsOf(Collection<Preorder> found) {
        List<PreorderId> ids = found.stream().map(Preorder::id).toList();
        Map<PreorderId, EtaState> states = eta.states(ids);
        Map<PreorderId, List<EtaChange>> histories = history.of(ids);
        Map<PreorderId, PreorderView> views = new HashMap<>();
        for (Preorder preorder : found) {
            PreorderId id = preorder.id();
            EtaState state = states.get(id);
            if (state == null) {
                throw new IllegalStateException("preorder %s has no ETA".formatted(preorder.id()));
            }
            views.put(id, PreorderView.of(preorder, state, histories.getOrDefault(id, List.of())));
        }
        return views;
    }

    record PreorderPage(List<PreorderView> items, int page, int size, long totalItems, long totalPages) {
    }

    @Transactional(readOnly = true)
    PreorderPage ofCustomer(String customerId, int page, int size) {
        List<Preorder> found = preorders.ofCustomer(customerId, page, size);
        Map<PreorderId, EtaState> states = eta.states(found.stream().map(Preorder::id).toList());
        long total = preorders.countOfCustomer(customerId);
        List<PreorderView> items = found.stream()
                .map(preorder -> PreorderView.of(preorder, states.get(preorder.id()), null)).toList();
        return new PreorderPage(items, page, size, total, (total + size - 1) / size);
    }

    /** A preorder with the idempotency key (REST) or request id (app event) it was placed with. */
    record KeyedPreorder(String idempotencyKey, PreorderView preorder) {
    }

    /** The preorders found, in the order their keys were asked for, and the keys no preorder has. */
    record PreordersByKey(List<KeyedPreorder> items, List<String> notFound) {
    }

    /**
     * Three statements for any number of keys. One snapshot (repeatable read), so a preorder's ETA and its history
     * agree even while a listener is changing them.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    PreordersByKey withKeys(List<String> idempotencyKeys) {
        Map<String, Preorder> found = preorders.withKeys(idempotencyKeys);
        Map<PreorderId, PreorderView> views = viewsOf(found.values());
        List<KeyedPreorder> items = new ArrayList<>(found.size());
        List<String> notFound = new ArrayList<>();
        for (String key : idempotencyKeys) {
            Preorder preorder = found.get(key);
            if (preorder == null) {
                notFound.add(key);
                continue;
            }
            items.add(new KeyedPreorder(key, views.get(preorder.id())));
        }
        return new PreordersByKey(items, notFound);
    }

    /** @param countedAt when the counts were read: they are up to {@link #STATS_MAX_AGE} old */
    record PreorderStats(long total, Map<ProjectionStatus, Long> byStatus, Instant countedAt) {
    }

    /**
     * The counts are a sum of a few delta rows per status; still read at most once per {@link #STATS_MAX_AGE} however
     * many dashboards and apps ask, so a crowd of callers costs the database one statement a second.
     */
    synchronized PreorderStats stats() {
        if (stats == null || !clock.instant().isBefore(stats.countedAt().plus(STATS_MAX_AGE))) {
            Map<ProjectionStatus, Long> byStatus = counts.byStatus();
            stats = new PreorderStats(byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus, clock.instant());
        }
        return stats;
    }
}
