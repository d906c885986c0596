package dev.onepg.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the users projection's checkpoint on a connection of its own, polling it every interval, and notes
 * when each new checkpoint was first seen. The checkpoint commits in the same transaction as the views, so an
 * event is visible in the views exactly when the checkpoint (transaction id, position) has reached it. The time
 * noted is when the query that saw it returned: visibility happened at most one interval plus one query earlier.
 */
final class CheckpointWatcher implements AutoCloseable {

    private final Connection connection;
    private final long intervalNanos;
    private final LongList seenAt = new LongList();
    private final LongList transactions = new LongList();
    private final LongList positions = new LongList();
    private final LongList queryNanos = new LongList();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long latestTransaction = -1;
    private volatile long latestPosition = -1;
    private volatile @org.jspecify.annotations.Nullable SQLException failure;

    CheckpointWatcher(Connection connection, long intervalNanos) {
        this.connection = connection;
        this.intervalNanos = intervalNanos;
        this.thread = Thread.ofPlatform().name("checkpoint-watcher").start(this::watch);
    }

    private void watch() {
        long lastTransaction = -1;
        long lastPosition = -1;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT checkpoint_tx::text::bigint, checkpoint_position FROM eventstore.projections"
                        + " WHERE name = 'users'")) {
            while (!stopped) {
                long start = System.nanoTime();
                long transaction;
                long position;
                try (ResultSet result = query.executeQuery()) {
                    boolean found = result.next();
                    transaction = found ? result.getLong(1) : -1;
                    position = found ? result.getLong(2) : -1;
                }
                long end = System.nanoTime();
                queryNanos.add(end - start);
                if (transaction != lastTransaction || position != lastPosition) {
                    seenAt.add(end);
                    transactions.add(transaction);
                    positions.add(position);
                    lastTransaction = transaction;
                    lastPosition = position;
                    latestPosition = position;
                    latestTransaction = transaction;
                }
                long next = start + intervalNanos;
                while (System.nanoTime() < next) {
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
        } catch (SQLException e) {
            failure = e;
        }
    }

    /**
     * When the checkpoint was first seen at or past the event (transaction id, position); {@code Long.MIN_VALUE}
     * if never. Call after {@link #close()}.
     */
    long firstSeen(long transaction, long position) {
        int low = 0;
        int high = positions.size() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long checkpointTransaction = transactions.get(middle);
            boolean reached = transaction < checkpointTransaction
                    || (transaction == checkpointTransaction && position <= positions.get(middle));
            if (reached) {
                found = middle;
                high = middle - 1;
            } else {
                low = middle + 1;
            }
        }
        return found < 0 ? Long.MIN_VALUE : seenAt.get(found);
    }

    /** Whether the latest checkpoint seen is at or past the event; safe while watching. */
    boolean seenSoFar(long transaction, long position) {
        long checkpointPosition = latestPosition;
        long checkpointTransaction = latestTransaction;
        return transaction < checkpointTransaction
                || (transaction == checkpointTransaction && position <= checkpointPosition);
    }

    /** How long the watcher's queries took. */
    Distribution queries() {
        return Distribution.of(queryNanos.toArray());
    }

    @Override
    public void close() throws SQLException, InterruptedException {
        stopped = true;
        thread.join();
        connection.close();
        SQLException error = failure;
        if (error != null) {
            throw error;
        }
    }
}
