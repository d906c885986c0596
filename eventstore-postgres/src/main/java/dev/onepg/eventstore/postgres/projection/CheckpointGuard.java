package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import java.util.Optional;
import org.jooq.DSLContext;

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
        public boolean advance(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to) {
            return Checkpoints.advanceLeased(transaction, lease, from, to);
        }
    };

    /** Locks the projection's row for the transaction; empty when the lease no longer holds it. */
    Optional<LockedCheckpoint> lock(DSLContext transaction, Lease lease);

    /** Moves the checkpoint and renews the lease; returns whether it moved. */
    boolean advance(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to);

    /**
     * Whether events read ahead, the ones right after {@code readAfter}, are the next batch at the locked
     * checkpoint: only when they follow on from it. Anything may have moved the checkpoint meanwhile (another
     * leader, a rebuild's switch, an operator).
     */
    default boolean followsOn(Checkpoint locked, Checkpoint readAfter) {
        return locked.equals(readAfter);
    }
}
