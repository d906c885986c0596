package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import java.sql.SQLException;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * How a leader's batch takes hold of its checkpoint and moves it: the place where exactly-once is decided.
 *
 * <p>{@link #FENCED} locks the row only while the lease's owner and generation still match, and moves the
 * checkpoint only from where it was read, under the same lease; a batch read ahead is applied only where it follows on. Tests plant weaker guards to show that their
 * scenarios catch what this one prevents.
 */
interface CheckpointGuard {

    CheckpointGuard FENCED = new CheckpointGuard() {
        @Override
        public Optional<LockedCheckpoint> lock(DSLContext transaction, Lease lease) {
            return Checkpoints.lockLeased(transaction, lease);
        }

        @Override
        public LockedRead lockAndRead(
                DSLContext transaction, String limits, Lease lease, @Nullable Checkpoint expected, int batchSize) {
            return Checkpoints.lockLeasedAndRead(transaction, limits, lease, expected, batchSize);
        }

        @Override
        public boolean advance(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to) {
            return Checkpoints.advanceLeased(transaction, lease, from, to);
        }

        @Override
        public boolean advanceAndCommit(
                DSLContext transaction,
                Lease lease,
                Checkpoint from,
                Checkpoint to,
                LiveBatchTransaction.@Nullable LastWrite lastWrite) {
            return Checkpoints.advanceLeasedAndCommit(transaction, lease, from, to, lastWrite);
        }
    };

    /**
     * The start of a batch: the checkpoint locked, and the events read after where the runner expected it to be
     * ({@code null} when nothing was read); they are the batch only where they {@link #followsOn} the lock.
     */
    record LockedRead(Optional<LockedCheckpoint> locked, BatchApplier.@Nullable ReadAhead read) {}

    /** Locks the projection's row for the transaction; empty when the lease no longer holds it. */
    Optional<LockedCheckpoint> lock(DSLContext transaction, Lease lease);

    /**
     * Sends the transaction's {@code limits}, locks as {@link #lock} does, and reads the batch after {@code
     * expected}. This one does it statement by statement and reads nothing ahead; {@link #FENCED} sends the three in
     * one round trip.
     */
    default LockedRead lockAndRead(
            DSLContext transaction, String limits, Lease lease, @Nullable Checkpoint expected, int batchSize) {
        transaction.fetch(limits);
        return new LockedRead(lock(transaction, lease), null);
    }

    /** Moves the checkpoint and renews the lease; returns whether it moved. */
    boolean advance(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to);

    /**
     * The last statement of a batch: sends the projection's {@code lastWrite}, if it left one, moves the checkpoint
     * as {@link #advance} does, and may commit the transaction with them (then the transaction's own commit sends
     * nothing). This one sends the write and the move one after the other and leaves the commit to the transaction;
     * {@link #FENCED} sends all three in one round trip, since every round trip while a batch holds its transaction
     * id holds back every event appended after it.
     *
     * @throws LastWriteFailed when the last write failed for a reason of its own
     */
    default boolean advanceAndCommit(
            DSLContext transaction,
            Lease lease,
            Checkpoint from,
            Checkpoint to,
            LiveBatchTransaction.@Nullable LastWrite lastWrite) {
        if (lastWrite != null) {
            transaction.connection(connection -> {
                try {
                    LiveBatchTransaction.sendAlone(connection, lastWrite);
                } catch (SQLException e) {
                    if (LastWriteFailed.isTheWritesOwn(e)) {
                        throw new LastWriteFailed(e);
                    }
                    throw e;
                }
            });
        }
        return advance(transaction, lease, from, to);
    }

    /**
     * Whether events read ahead, the ones right after {@code readAfter}, are the next batch at the locked
     * checkpoint: only when they follow on from it. Anything may have moved the checkpoint meanwhile (another
     * leader, a rebuild's switch, an operator).
     */
    default boolean followsOn(Checkpoint locked, Checkpoint readAfter) {
        return locked.equals(readAfter);
    }
}
