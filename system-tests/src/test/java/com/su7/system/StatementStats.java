package com.su7.system;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;

/**
 * Where PostgreSQL's time goes, by statement, with pg_stat_statements (the local stack loads it with tracking
 * off): {@link #start()} turns tracking on and clears the counts, {@link #write} reports the statements that took
 * the most execution time in every database, with the commits, WAL and WAL flushes per preorder, and turns
 * tracking off again. While it tracks, auto_explain logs the plan of every statement slower than 50 ms to PostgreSQL's
 * log, and every autovacuum its CPU; {@link #write} copies that log beside the report ({@code <name>-postgres.log}).
 */
final class StatementStats {

    private static final int TOP = 25;
    private static final int SLOW_PLAN_MILLIS = 50;

    private static final String COUNTERS = """
            select (select sum(xact_commit) from pg_stat_database), w.wal_records, w.wal_bytes, w.wal_sync
            from pg_stat_wal w""";

    private final Function<String, DataSource> superuserOf;
    private final DataSource superuser;
    private final Path postgresLog;
    private double[] countersAtStart;
    private long logLengthAtStart;

    StatementStats(Function<String, DataSource> superuserOf, Path postgresLog) {
        this.superuserOf = superuserOf;
        this.superuser = superuserOf.apply("postgres");
        this.postgresLog = postgresLog;
    }

    void start() throws SQLException, IOException {
        track("top");
        execute("create extension if not exists pg_stat_statements");
        execute("select pg_stat_statements_reset()");
        countersAtStart = counters();
        logLengthAtStart = Files.size(postgresLog);
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
        markdown.append(deadRows()).append(oldestSnapshots());
        track("none");
        try {
            Path directory = Files.createDirectories(Path.of("target", "benchmarks"));
            Files.writeString(directory.resolve(name + ".md"), markdown);
            Files.write(directory.resolve(name + "-postgres.log"), logSinceStart());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the %s statement report".formatted(name), e);
        }
        System.out.print(markdown);
    }

    /** Dead rows not yet vacuumed in each service's busiest tables: a queue table's scans slow down with them. */
    private String deadRows() throws SQLException {
        StringBuilder markdown = new StringBuilder("""

                | database | table | live rows | dead rows | autovacuums | autoanalyzes | last autovacuum |
                |---|---|---:|---:|---:|---:|---|
                """);
        for (String database : RunningSystem.SERVICES) {
            try (Connection connection = superuserOf.apply(database).getConnection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("""
                         select relname, n_live_tup, n_dead_tup, autovacuum_count, autoanalyze_count, last_autovacuum
                         from pg_stat_user_tables order by n_dead_tup desc limit 4""")) {
                while (rows.next()) {
                    markdown.append("| %s | %s | %,d | %,d | %d | %d | %s |%n".formatted(database, rows.getString(1), rows.getLong(2),
                            rows.getLong(3), rows.getLong(4), rows.getLong(5), rows.getTimestamp(6)));
                }
            }
        }
        return markdown.toString();
    }

    /** The oldest snapshots still held: while one is, vacuum can remove no row that died after it was taken. */
    private String oldestSnapshots() throws SQLException {
        StringBuilder markdown = new StringBuilder("""

                | database | application | state | transaction age | query |
                |---|---|---|---|---|
                """);
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     select datname, application_name, state, now() - xact_start, left(regexp_replace(query, '\s+', ' ', 'g'), 120)
                     from pg_stat_activity where backend_xmin is not null and pid <> pg_backend_pid()
                     order by age(backend_xmin) desc limit 5""")) {
            while (rows.next()) {
                markdown.append("| %s | %s | %s | %s | `%s` |%n".formatted(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getString(5).replace("|", "\\|")));
            }
        }
        return markdown.toString();
    }

    /** What PostgreSQL logged since {@link #start()}: auto_explain's plans, autovacuums, anything else it had to say. */
    private byte[] logSinceStart() throws IOException {
        try (var log = Files.newByteChannel(postgresLog)) {
            log.position(logLengthAtStart);
            return Channels.newInputStream(log).readAllBytes();
        }
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
        // The plan of every statement slower than this in PostgreSQL's log (local-stack/postgres.log): why it was slow.
        execute("alter system set auto_explain.log_min_duration = %s".formatted(level.equals("none") ? "-1" : "'%d ms'".formatted(SLOW_PLAN_MILLIS)));
        // Every autovacuum with the CPU it used: background work no statement count shows.
        execute("alter system set log_autovacuum_min_duration = %s".formatted(level.equals("none") ? "-1" : "0"));
        execute("select pg_reload_conf()");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
