package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.ProjectionTransaction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A live batch's transaction as its projection sees it: the projection's {@linkplain #writeWithCommit last write}
 * is held back, to go out in the round trip of the checkpoint's move and the commit.
 *
 * <p>A batch of events read before its transaction began has not locked its checkpoint yet: the lock goes out with
 * the last write, unless the projection sends a statement of its own first (a read, a write at once, a copy). The
 * connection it is given then locks the checkpoint before that statement, so that no view is read or written
 * before the lock.
 */
final class LiveBatchTransaction implements ProjectionTransaction {

    /** A write held back for the commit. */
    record LastWrite(String sql, Parameters parameters) {}

    /** What the connection does without sending anything to the server. */
    private static final Set<String> LOCAL_CALLS = Set.of(
            "createArrayOf",
            "createStruct",
            "isClosed",
            "getAutoCommit",
            "isReadOnly",
            "getTransactionIsolation",
            "getWarnings",
            "clearWarnings",
            "isWrapperFor",
            "toString",
            "hashCode",
            "equals");

    private final Connection connection;
    private final @Nullable Supplier<LockedCheckpoint> lockFirst;
    private @Nullable LastWrite lastWrite;
    private @Nullable LockedCheckpoint locked;
    private @Nullable StaleRead stale;

    /** The transaction of a batch whose checkpoint is locked already. */
    LiveBatchTransaction(Connection connection) {
        this.connection = connection;
        this.lockFirst = null;
    }

    /** The transaction of a batch whose checkpoint {@code lockFirst} locks, before anything else is sent. */
    LiveBatchTransaction(Connection connection, Supplier<LockedCheckpoint> lockFirst) {
        Connection plain = connection;
        this.lockFirst = lockFirst;
        this.connection = (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (!LOCAL_CALLS.contains(method.getName())) {
                        lockIfNotYet();
                    }
                    try {
                        return method.invoke(plain, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
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

    /**
     * Where the checkpoint was locked before the projection's own first statement; {@code null} when the lock is
     * still to be sent (with the last write).
     *
     * @throws StaleRead when that lock found the checkpoint elsewhere, however the projection handled the error
     */
    @Nullable
    Checkpoint lockedAt() {
        if (stale != null) {
            throw stale;
        }
        return locked == null ? null : locked.checkpoint();
    }

    private void lockIfNotYet() {
        if (stale != null) {
            throw stale;
        }
        if (locked != null || lockFirst == null) {
            return;
        }
        try {
            locked = lockFirst.get();
        } catch (StaleRead e) {
            stale = e;
            throw e;
        }
    }
}
