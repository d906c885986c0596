package dev.onepg.eventstore.postgres.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Waits for every transaction of the test server that began before the call to end. The global log shows only
 * events below the oldest running transaction of the whole server, so on a server shared by many tests another
 * test's unfinished work can hide the events a test has just committed; after this wait it cannot.
 */
public final class OlderTransactions {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    /** A transaction id of its own: every transaction that had one when the call began has a smaller one. */
    private static final String OWN_ID = "SELECT pg_current_xact_id()::text";

    private static final String OLDEST_RUNNING = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";
    private static final String HOLDERS = "SELECT datname, pid, backend_xid, state, left(query, 200)"
            + " FROM pg_stat_activity WHERE backend_xid IS NOT NULL";

    private OlderTransactions() {}

    public static void awaitEnd(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            long own = number(statement, OWN_ID);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (number(statement, OLDEST_RUNNING) <= own) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("transactions older than " + own + " still running after " + PATIENCE
                            + ": " + holders(statement));
                }
                Thread.sleep(5);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not wait for older transactions", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for older transactions", e);
        }
    }

    private static long number(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return Long.parseLong(row.getString(1));
        }
    }

    private static List<String> holders(Statement statement) throws SQLException {
        List<String> holders = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(HOLDERS)) {
            while (rows.next()) {
                holders.add(rows.getString(1) + " pid " + rows.getInt(2) + " xid " + rows.getString(3) + " "
                        + rows.getString(4) + ": " + rows.getString(5));
            }
        }
        return holders;
    }
}
