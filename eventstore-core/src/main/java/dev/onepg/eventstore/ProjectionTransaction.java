package dev.onepg.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The transaction a projection writes its view in; the runner commits it with the checkpoint, or rolls back. */
public interface ProjectionTransaction {

    /** The transaction's connection; do not commit, roll back or close it. */
    Connection connection();

    /**
     * Sends the last write of a batch with the runner's move of the checkpoint and the commit, in one round trip,
     * instead of on its own: while a batch's transaction is open it holds back every event appended after it from
     * the projections, and on a busy machine each round trip is a wait for a core. The write may still be sent at
     * once (this default does; so does every transaction but a live batch's). Either way it is part of the
     * transaction: if it fails, nothing of the batch commits, and the runner treats the failure as the
     * projection's. Write nothing after it; a second call sends the first write at once.
     *
     * @param sql one or more statements, separated by {@code ;}, none of which commits
     * @param parameters binds the statements' parameters
     */
    default void writeWithCommit(String sql, Parameters parameters) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            parameters.bind(statement, 1);
            statement.execute();
        }
    }

    /** Binds the parameters of a write, which may be sent as the first part of a longer statement. */
    @FunctionalInterface
    interface Parameters {

        /**
         * Binds the write's parameters in order, the first at index {@code first}.
         *
         * @return the index after its last parameter
         */
        int bind(PreparedStatement statement, int first) throws SQLException;
    }
}
