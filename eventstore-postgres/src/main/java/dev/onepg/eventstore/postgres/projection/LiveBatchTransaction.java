package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.ProjectionTransaction;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A live batch's transaction as its projection sees it: the projection's {@linkplain #writeWithCommit last write}
 * is held back, to go out in the round trip of the checkpoint's move and the commit.
 */
final class LiveBatchTransaction implements ProjectionTransaction {

    /** A write held back for the commit. */
    record LastWrite(String sql, Parameters parameters) {}

    private final Connection connection;
    private @Nullable LastWrite lastWrite;

    LiveBatchTransaction(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public void writeWithCommit(String sql, Parameters parameters) throws SQLException {
        LastWrite earlier = lastWrite;
        lastWrite = null;
        if (earlier != null) {
            sendAlone(connection, earlier);
        }
        lastWrite = new LastWrite(sql, parameters);
    }

    /** Sends a write held back on its own, at once, within the connection's transaction. */
    static void sendAlone(Connection connection, LastWrite write) throws SQLException {
        ProjectionTransaction atOnce = () -> connection;
        atOnce.writeWithCommit(write.sql(), write.parameters());
    }

    /** The write to send with the commit, if the projection left one. */
    @Nullable
    LastWrite lastWrite() {
        return lastWrite;
    }
}
