package dev.onepg.platform.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class TransientDatabaseFailureTest {

    @Test
    void aLostConnectionADeadlockASerializationFailureAndAnExhaustedPoolMayPass() {
        assertThat(TransientDatabaseFailure.isTransient(jooq(new PSQLException(
                        "An I/O error occurred while sending to the backend.",
                        PSQLState.CONNECTION_FAILURE,
                        new EOFException()))))
                .isTrue();
        assertThat(TransientDatabaseFailure.isTransient(jooq(new SQLException("deadlock detected", "40P01"))))
                .isTrue();
        assertThat(TransientDatabaseFailure.isTransient(jooq(new SQLException("could not serialize", "40001"))))
                .isTrue();
        assertThat(TransientDatabaseFailure.isTransient(
                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available")))
                .isTrue();
        assertThat(TransientDatabaseFailure.isTransient(jooq(new SQLException("terminating connection", "57P01"))))
                .isTrue();
    }

    @Test
    void aViolatedConstraintABadStatementAndABugDoNot() {
        assertThat(TransientDatabaseFailure.isTransient(jooq(new SQLException("duplicate key", "23505"))))
                .isFalse();
        assertThat(TransientDatabaseFailure.isTransient(jooq(new SQLException("syntax error", "42601"))))
                .isFalse();
        assertThat(TransientDatabaseFailure.isTransient(new IllegalStateException("bug", new EOFException())))
                .isFalse();
        assertThat(TransientDatabaseFailure.isDatabaseFailure(new IllegalStateException("bug")))
                .isFalse();
        assertThat(TransientDatabaseFailure.isDatabaseFailure(jooq(new SQLException("duplicate key", "23505"))))
                .isTrue();
    }

    private static RuntimeException jooq(SQLException cause) {
        return new org.jooq.exception.DataAccessException("SQL [select 1]; " + cause.getMessage(), cause);
    }
}
