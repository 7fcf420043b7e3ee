package com.su7.messaging.count;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every count a service keeps as deltas ({@link KeptCount}), declared here and folded here, all on one schedule
 * ({@code su7.messaging.counts.fold-interval}): a service declares its counts and reads them, and schedules nothing.
 * A count that fails to fold (its table being swapped, the database away) is retried at the next fold; the others fold
 * regardless.
 */
public final class KeptCounts {

    private static final Logger log = LoggerFactory.getLogger(KeptCounts.class);

    private final JdbcClient jdbc;
    private final Duration foldInterval;
    private final Map<String, KeptCount> byTable = new ConcurrentHashMap<>();

    public KeptCounts(JdbcClient jdbc, KeptCountProperties properties) {
        this.jdbc = jdbc;
        this.foldInterval = properties.foldInterval();
    }

    /** One count, in {@code table (id, delta)}. */
    public KeptCount in(String table) {
        return declare(table, null);
    }

    /** A count per value of {@code keyColumn}, in {@code table (id, keyColumn, delta)}. */
    public KeptCount perKey(String table, String keyColumn) {
        return declare(table, keyColumn);
    }

    /** Folds every declared count; returns how many failed (each logged, and retried at the next fold). */
    public int foldAll() {
        int failed = 0;
        for (KeptCount count : byTable.values()) {
            try {
                count.fold();
            } catch (RuntimeException e) {
                failed++;
                log.warn("could not fold the count kept in {} (retried in {}): {}", count.table(), foldInterval, e.getMessage());
            }
        }
        return failed;
    }

    /** The same table declared twice is the same count; declared with another key, it is a mistake. */
    private KeptCount declare(String table, String keyColumn) {
        KeptCount count = byTable.computeIfAbsent(table, name -> new KeptCount(jdbc, name, keyColumn));
        if (!Objects.equals(count.key(), keyColumn)) {
            throw new IllegalStateException("the count kept in %s is declared both per %s and per %s"
                    .formatted(table, count.key() == null ? "nothing" : count.key(), keyColumn == null ? "nothing" : keyColumn));
        }
        return count;
    }
}
