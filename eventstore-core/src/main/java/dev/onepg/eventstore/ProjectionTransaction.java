package dev.onepg.eventstore;

import java.sql.Connection;

/** The transaction a projection writes its view in; the runner commits it with the checkpoint, or rolls back. */
public interface ProjectionTransaction {

    /** The transaction's connection; do not commit, roll back or close it. */
    Connection connection();
}
