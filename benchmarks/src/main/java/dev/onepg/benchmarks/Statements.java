package dev.onepg.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * {@code -Dbench.statements=true}: where PostgreSQL's time goes, statement by statement. The run's server loads
 * {@code pg_stat_statements}; {@link #reset} before a measurement and {@link #write} after it leave the top
 * statements of one database in {@code target/statements-<label>.txt}: calls, total and mean execution and
 * planning time, rows, and the share of the total; then the rows each table had inserted, updated (how many of
 * them heap-only) and deleted.
 */
final class Statements {

    static final boolean ENABLED = Boolean.getBoolean("bench.statements");

    private Statements() {}

    static void reset(Db db) throws Exception {
        if (ENABLED) {
            db.database("postgres").execute("SELECT pg_stat_statements_reset()");
            db.execute("SELECT pg_stat_reset()");
        }
    }

    static void write(Db db, String label, long writes) throws Exception {
        if (!ENABLED) {
            return;
        }
        String name = db.url().substring(db.url().lastIndexOf('/') + 1);
        StringBuilder out = new StringBuilder(String.format(
                "%-8s %10s %10s %9s %9s %10s %6s  %s%n",
                "share", "calls", "total ms", "mean µs", "plan µs", "rows", "/write", "statement"));
        try (Connection connection = db.database("postgres").connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT calls, total_exec_time + total_plan_time AS total,
                               mean_exec_time, CASE WHEN plans > 0 THEN total_plan_time / plans ELSE 0 END,
                               rows, sum(total_exec_time + total_plan_time) OVER () AS everything,
                               regexp_replace(query, '\\s+', ' ', 'g')
                        FROM pg_stat_statements JOIN pg_database d ON d.oid = dbid
                        WHERE d.datname = '%s'
                        ORDER BY total DESC LIMIT 25""".formatted(name))) {
            while (rows.next()) {
                out.append(String.format(
                        "%7.1f%% %10d %10.0f %9.1f %9.1f %10d %6.2f  %s%n",
                        100 * rows.getDouble(2) / rows.getDouble(6),
                        rows.getLong(1),
                        rows.getDouble(2),
                        rows.getDouble(3) * 1000,
                        rows.getDouble(4) * 1000,
                        rows.getLong(5),
                        rows.getLong(1) / (double) Math.max(1, writes),
                        abbreviate(rows.getString(7))));
            }
        }
        out.append(tableWrites(db));
        Files.writeString(Path.of("target/statements-" + label + ".txt"), out);
    }

    /** Rows written per table, and how many updates were heap-only (HOT: no new index entries). */
    private static String tableWrites(Db db) throws Exception {
        // The counters reach pg_stat_user_tables when a backend reports them, at most a second after its commit.
        Thread.sleep(1_500);
        StringBuilder out = new StringBuilder(
                String.format("%n%-30s %10s %10s %10s %10s%n", "table", "inserted", "updated", "HOT", "deleted"));
        try (Connection connection = db.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del
                        FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0
                        ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC""")) {
            while (rows.next()) {
                out.append(String.format(
                        "%-30s %10d %10d %10d %10d%n",
                        rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)));
            }
        }
        return out.toString();
    }

    private static String abbreviate(String query) {
        return query.length() > 300 ? query.substring(0, 300) + " …" : query;
    }
}
