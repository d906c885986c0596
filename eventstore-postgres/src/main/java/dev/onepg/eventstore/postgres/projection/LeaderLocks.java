package dev.onepg.eventstore.postgres.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session advisory locks, one per projection, held on one connection of this instance: whoever holds a
 * projection's lock runs it. When an instance dies, PostgreSQL ends its session and releases its locks, and
 * another instance takes them at its next try.
 *
 * <p>The lock keeps a second runner idle; it is not what makes projections exactly-once. The checkpoint's
 * compare-and-set is, so a runner that lost its lock without noticing cannot apply a batch twice.
 */
final class LeaderLocks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderLocks.class);

    private final DataSource dataSource;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private Connection connection;

    LeaderLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    boolean isHeld(String projection) {
        return held.contains(projection);
    }

    /** Tries to take the projection's lock; returns whether this instance holds it now. */
    synchronized boolean tryAcquire(String projection) {
        if (held.contains(projection)) {
            return true;
        }
        try {
            try (PreparedStatement lock = connection()
                    .prepareStatement("SELECT pg_try_advisory_lock(hashtextextended('onepg.projection.' || ?, 0))")) {
                lock.setString(1, projection);
                try (ResultSet result = lock.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        held.add(projection);
                        return true;
                    }
                    return false;
                }
            }
        } catch (SQLException e) {
            log.warn("Lost the connection holding projection locks: {}", e.getMessage());
            reset();
            return false;
        }
    }

    /** Checks that the connection holding the locks is alive; if not, every lock is gone. */
    synchronized void verify() {
        if (held.isEmpty() || connection == null) {
            return;
        }
        try (PreparedStatement ping = connection.prepareStatement("SELECT 1")) {
            ping.execute();
        } catch (SQLException e) {
            log.warn("Lost the connection holding projection locks {}: {}", held, e.getMessage());
            reset();
        }
    }

    synchronized void release(String projection) {
        if (!held.remove(projection) || connection == null) {
            return;
        }
        try (PreparedStatement unlock = connection.prepareStatement(
                "SELECT pg_advisory_unlock(hashtextextended('onepg.projection.' || ?, 0))")) {
            unlock.setString(1, projection);
            unlock.execute();
        } catch (SQLException e) {
            reset();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    /** Drops every lock: unlocked first, so that the pooled connection goes back to the pool without them. */
    private void reset() {
        held.clear();
        if (connection != null) {
            try (PreparedStatement unlockAll = connection.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                unlockAll.execute();
            } catch (SQLException ignored) {
                // A broken connection holds no locks any more, and the pool discards it.
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already broken.
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        reset();
    }
}
