package com.su7.orders.eta;

import com.su7.contract.PreorderId;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What each customer was shown, in {@code eta_history}: every real change of a preorder's ETA with its cause, oldest
 * first. Every change counts in {@code su7.orders.eta.changes{cause}}.
 */
@Component
public class EtaHistory {

    private static final Logger log = LoggerFactory.getLogger(EtaHistory.class);

    private final JdbcClient jdbc;
    private final MeterRegistry meters;

    EtaHistory(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** A preorder's ETA went from {@code old} (null for the first estimate) to {@code now}. */
    record Change(UUID preorderId, EtaCause cause, Eta old, Eta now) {
    }

    /** Keeps the changes that did change an ETA, with one statement. */
    void record(Instant at, List<Change> changes) {
        List<Change> real = changes.stream().filter(change -> !change.now().equals(change.old())).toList();
        if (real.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into eta_history (preorder_id, at, cause, old_earliest, old_latest, new_earliest, new_latest)
                        select id, ?, cause, old_earliest, old_latest, new_earliest, new_latest
                        from unnest(?::uuid[], ?::text[], ?::date[], ?::date[], ?::date[], ?::date[])
                            as c(id, cause, old_earliest, old_latest, new_earliest, new_latest)""")
                .params(Timestamp.from(at),
                        real.stream().map(Change::preorderId).toArray(UUID[]::new),
                        real.stream().map(change -> change.cause().name()).toArray(String[]::new),
                        real.stream().map(change -> change.old() == null ? null : change.old().earliest().toString()).toArray(String[]::new),
                        real.stream().map(change -> change.old() == null ? null : change.old().latest().toString()).toArray(String[]::new),
                        real.stream().map(change -> change.now().earliest().toString()).toArray(String[]::new),
                        real.stream().map(change -> change.now().latest().toString()).toArray(String[]::new))
                .update();
        real.stream().collect(Collectors.groupingBy(Change::cause, Collectors.counting())).forEach(this::counted);
        if (log.isDebugEnabled()) {
            real.forEach(change -> log.debug("ETA of preorder {} {} -> {} ({})", change.preorderId(), change.old(), change.now(), change.cause()));
        }
    }

    /** Counts changes written elsewhere (the refresh writes its history rows in its own statement). */
    void counted(EtaCause cause, long changes) {
        meters.counter("su7.orders.eta.changes", "cause", cause.name()).increment(changes);
    }

    /** The histories of many preorders with one statement, each oldest first; a preorder without one is absent. */
    public Map<PreorderId, List<EtaChange>> of(Collection<PreorderId> preorderIds) {
        if (preorderIds.isEmpty()) {
            return Map.of();
        }
        Map<PreorderId, List<EtaChange>> histories = new HashMap<>();
        jdbc.sql("""
                        select preorder_id, at, cause, old_earliest, old_latest, new_earliest, new_latest from eta_history
                        where preorder_id = any(?) order by preorder_id, id""")
                .param(preorderIds.stream().map(PreorderId::value).toArray(UUID[]::new))
                .query((RowCallbackHandler) rs -> histories.computeIfAbsent(new PreorderId(rs.getObject("preorder_id", UUID.class)),
                        id -> new ArrayList<>()).add(changeOf(rs)));
        return histories;
    }

    private static EtaChange changeOf(ResultSet rs) throws SQLException {
        return new EtaChange(rs.getTimestamp("at").toInstant(), EtaCause.valueOf(rs.getString("cause")),
                rs.getObject("old_earliest", LocalDate.class), rs.getObject("old_latest", LocalDate.class),
                rs.getObject("new_earliest", LocalDate.class), rs.getObject("new_latest", LocalDate.class));
    }
}
