package com.su7.system;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where PostgreSQL's time goes, by statement, with pg_stat_statements (the local stack loads it with tracking
 * off): {@link #start()} turns tracking on and clears the counts, {@link #write} reports the statements that took
 * the most execution time in every database, with the commits, WAL and WAL flushes per preorder, and turns
 * tracking off again.
 */
final class StatementStats {

    private static final int TOP = 25;

    private static final String COUNTERS = """
            select (select sum(xact_commit) from pg_stat_database), w.wal_records, w.wal_bytes, w.wal_sync
            from pg_stat_wal w""";

    private final DataSource superuser;
    private double[] countersAtStart;

    StatementStats(DataSource postgresDatabaseAsSuperuser) {
        this.superuser = postgresDatabaseAsSuperuser;
    }

    void start() throws SQLException {
        track("top");
        execute("create extension if not exists pg_stat_statements");
        execute("select pg_stat_statements_reset()");
        countersAtStart = counters();
    }

    /** Writes {@code target/benchmarks/<name>.md}: the top statements by total execution time. */
    void write(String name, String title, int preorders) throws SQLException {
        double[] counters = counters();
        double[] perPreorder = new double[counters.length];
        for (int i = 0; i < counters.length; i++) {
            perPreorder[i] = (counters[i] - countersAtStart[i]) / preorders;
        }
        StringBuilder markdown = new StringBuilder("""
                # %s

                Per preorder: %.2f commits, %.1f WAL records, %.0f WAL bytes, %.2f WAL flushes (fsync).

                | database | calls | total (ms) | mean (ms) | rows | share of all (%%) | statement |
                |---|---:|---:|---:|---:|---:|---|
                """.formatted(title, perPreorder[0], perPreorder[1], perPreorder[2], perPreorder[3]));
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     select d.datname, s.calls, s.total_exec_time, s.mean_exec_time, s.rows,
                            100 * s.total_exec_time / sum(s.total_exec_time) over () as share,
                            regexp_replace(s.query, '\\s+', ' ', 'g') as query
                     from pg_stat_statements s join pg_database d on d.oid = s.dbid
                     order by s.total_exec_time desc limit %d""".formatted(TOP))) {
            while (rows.next()) {
                String query = rows.getString("query");
                markdown.append("| %s | %,d | %,.0f | %.2f | %,d | %.1f | `%s` |%n".formatted(rows.getString("datname"),
                        rows.getLong("calls"), rows.getDouble("total_exec_time"), rows.getDouble("mean_exec_time"),
                        rows.getLong("rows"), rows.getDouble("share"),
                        (query.length() > 300 ? query.substring(0, 300) + " …" : query).replace("|", "\\|")));
            }
        }
        track("none");
        try {
            Path directory = Files.createDirectories(Path.of("target", "benchmarks"));
            Files.writeString(directory.resolve(name + ".md"), markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the %s statement report".formatted(name), e);
        }
        System.out.print(markdown);
    }

    private double[] counters() throws SQLException {
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(COUNTERS)) {
            rows.next();
            return new double[] {rows.getDouble(1), rows.getDouble(2), rows.getDouble(3), rows.getDouble(4)};
        }
    }

    private void track(String level) throws SQLException {
        execute("alter system set pg_stat_statements.track = '%s'".formatted(level));
        execute("select pg_reload_conf()");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
