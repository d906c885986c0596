package dev.onepg.platform.eventstore;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Tells a database failure that may pass if the work is tried again (a lost connection, a serialization failure,
 * a deadlock, a pool that had no connection in time) from every other failure.
 */
public final class TransientDatabaseFailure {

    /** Connection lost or refused, serialization failure, deadlock, the server shutting down or out of slots. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "53300");

    private TransientDatabaseFailure() {}

    /** Whether the error, or one of its causes, is a database failure that may pass on another try. */
    public static boolean isTransient(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current instanceof SQLTransientException) {
                return true;
            }
            if (current instanceof SQLException sql && isTransient(sql.getSQLState())) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    /** Whether the error, or one of its causes, comes from the database or its driver. */
    public static boolean isDatabaseFailure(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current instanceof SQLException
                    || current instanceof org.jooq.exception.DataAccessException
                    || current instanceof org.springframework.dao.DataAccessException) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    private static boolean isTransient(@Nullable String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || TRANSIENT_STATES.contains(sqlState));
    }
}
