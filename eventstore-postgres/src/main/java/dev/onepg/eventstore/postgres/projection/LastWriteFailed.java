package dev.onepg.eventstore.postgres.projection;

import java.sql.SQLException;

/**
 * The projection's last write, sent with the commit, failed for a reason of its own (a constraint, bad data): the
 * projection's failure, as if it had thrown. A lost connection, a cancelled statement or a shortage of the server
 * is not, and passes as the {@link SQLException} it is, as a failed commit would.
 */
final class LastWriteFailed extends RuntimeException {

    LastWriteFailed(SQLException cause) {
        super(cause);
    }

    /** Whether the error is about what the write wrote rather than about the connection or the server. */
    static boolean isTheWritesOwn(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        // 08 connection, 40 rollback (deadlock, serialization), 53 resources, 55 object state (lock not available),
        // 57 operator intervention (cancel, shutdown), 58 system error
        return !(state.startsWith("08")
                || state.startsWith("40")
                || state.startsWith("53")
                || state.startsWith("55")
                || state.startsWith("57")
                || state.startsWith("58"));
    }
}
