package dev.onepg.eventstore.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The transactions of the store's hot paths (appends, projection runners), on plain JDBC: nothing is sent that the
 * work does not need. One statement on a connection in autocommit runs as its own transaction, without a round trip
 * for {@code BEGIN} or {@code COMMIT}; anything else commits when the work returns and rolls back when it throws.
 * The connection goes back as it came.
 */
public final class JdbcTransactions {

    private JdbcTransactions() {}

    /** Work on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in one transaction.
     *
     * @param oneStatement whether the work is a single statement, which autocommit alone makes atomic
     */
    public static <T> T inTransaction(Connection connection, boolean oneStatement, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit && oneStatement) {
            return work.run(connection);
        }
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (RuntimeException | SQLException e) {
            rollback(connection, e);
            throw e;
        } finally {
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
