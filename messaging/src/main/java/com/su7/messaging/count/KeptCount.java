package com.su7.messaging.count;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A count kept as deltas in an insert-only table of the service ({@code delta bigint}, an identity {@code id}, and for a
 * count per key a key column), so that concurrent writers never wait on a counter row and a read sums a few rows
 * however many rows are counted: a year of preorders costs what a launch does. The service writes the deltas (triggers,
 * or the code that changes what is counted, in its transaction); reading and folding them are here, once.
 * {@link KeptCounts} folds every count every few seconds, which keeps a few rows per key; with nothing to fold a fold
 * writes nothing, so an idle service flushes no commits.
 */
public final class KeptCount {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    private final JdbcClient jdbc;
    private final String table;
    private final String key;

    /** Declared through {@link KeptCounts}, which folds it. */
    KeptCount(JdbcClient jdbc, String table, String key) {
        this.jdbc = jdbc;
        this.table = identifier(table);
        this.key = key == null ? null : identifier(key);
    }

    String table() {
        return table;
    }

    /** The key column, null for one count. */
    String key() {
        return key;
    }

    /** The count, as the caller's transaction sees it (every key together, for a count per key). */
    public long total() {
        return jdbc.sql("select coalesce(sum(delta), 0) from " + table).query(Long.class).single();
    }

    /** The count of each key that has deltas (a key never counted is absent). */
    public Map<String, Long> byKey() {
        if (key == null) {
            throw new IllegalStateException(table + " keeps one count, not one per key");
        }
        Map<String, Long> counts = new HashMap<>();
        jdbc.sql("select %1$s, sum(delta) from %2$s group by %1$s".formatted(key, table))
                .query(rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** Folds the deltas of each key that has several into one row; deltas written meanwhile stay for the next fold. */
    void fold() {
        if (key == null) {
            jdbc.sql("""
                    with folded as (delete from %1$s where (select count(*) from %1$s) > 1 returning delta)
                    insert into %1$s (delta) select sum(delta) from folded having count(*) > 0""".formatted(table)).update();
        } else {
            jdbc.sql("""
                    with folded as (
                        delete from %1$s where %2$s in (select %2$s from %1$s group by %2$s having count(*) > 1)
                        returning %2$s, delta
                    )
                    insert into %1$s (%2$s, delta) select %2$s, sum(delta) from folded group by %2$s""".formatted(table, key)).update();
        }
    }

    private static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("a kept count's table and key are plain lower-case names, not " + name);
        }
        return name;
    }
}
