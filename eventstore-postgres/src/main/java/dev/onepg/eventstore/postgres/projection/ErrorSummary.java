package dev.onepg.eventstore.postgres.projection;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What a projection's status keeps of an error: for a database error its SQLSTATE, constraint, table and column
 * and the exception's class, never PostgreSQL's message, which can quote the failing row's values ("Failing row
 * contains (...)", "Key (email)=(...)"); for any other error its class and message.
 */
final class ErrorSummary {

    private ErrorSummary() {}

    static String of(Throwable error) {
        SQLException database = databaseError(error);
        if (database == null) {
            String message = error.getMessage();
            return error.getClass().getName() + (message == null ? "" : ": " + message);
        }
        StringBuilder summary = new StringBuilder(error.getClass().getName());
        if (database != error) {
            summary.append(" caused by ").append(database.getClass().getName());
        }
        summary.append(": SQLSTATE ").append(database.getSQLState());
        if (database instanceof PSQLException postgres && postgres.getServerErrorMessage() != null) {
            ServerErrorMessage server = postgres.getServerErrorMessage();
            append(summary, "constraint", server.getConstraint());
            append(summary, "table", qualified(server.getSchema(), server.getTable()));
            append(summary, "column", server.getColumn());
        }
        return summary.toString();
    }

    private static @Nullable SQLException databaseError(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql;
            }
        }
        return null;
    }

    private static @Nullable String qualified(@Nullable String schema, @Nullable String table) {
        if (table == null) {
            return null;
        }
        return schema == null ? table : schema + "." + table;
    }

    private static void append(StringBuilder summary, String what, @Nullable String value) {
        if (value != null) {
            summary.append(", ").append(what).append(' ').append(value);
        }
    }
}
