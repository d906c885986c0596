package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.db.jooq.eventstore.Tables.PROJECTIONS;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.postgres.Xid8;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/** Weaker checkpoint guards, planted in tests to show that the tests catch what {@link CheckpointGuard#FENCED} prevents. */
final class BrokenGuards {

    private BrokenGuards() {}

    /** Locks the row and moves the checkpoint by compare-and-set, but never asks whether the lease still holds. */
    static final CheckpointGuard WITHOUT_FENCING = new CheckpointGuard() {
        @Override
        public Optional<LockedCheckpoint> lock(DSLContext transaction, Lease lease) {
            return transaction
                    .select(PROJECTIONS.CHECKPOINT_TX, PROJECTIONS.CHECKPOINT_POSITION, PROJECTIONS.STATUS)
                    .from(PROJECTIONS)
                    .where(PROJECTIONS.NAME.eq(lease.projection()))
                    .forUpdate()
                    .fetchOptional(row -> new LockedCheckpoint(
                            new Checkpoint(row.value1(), row.value2()), ProjectionState.valueOf(row.value3())));
        }

        @Override
        public boolean advance(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to) {
            return Checkpoints.advance(transaction, lease.projection(), from, to);
        }
    };

    /** Reads the checkpoint without a lock or a fence and overwrites it without comparing. */
    static final CheckpointGuard UNGUARDED = new CheckpointGuard() {
        @Override
        public Optional<LockedCheckpoint> lock(DSLContext transaction, Lease lease) {
            return transaction
                    .select(PROJECTIONS.CHECKPOINT_TX, PROJECTIONS.CHECKPOINT_POSITION, PROJECTIONS.STATUS)
                    .from(PROJECTIONS)
                    .where(PROJECTIONS.NAME.eq(lease.projection()))
                    .fetchOptional(row -> new LockedCheckpoint(
                            new Checkpoint(row.value1(), row.value2()), ProjectionState.valueOf(row.value3())));
        }

        @Override
        public boolean advance(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to) {
            transaction
                    .update(PROJECTIONS)
                    .set(PROJECTIONS.CHECKPOINT_TX, Xid8.value(to.transactionId()))
                    .set(PROJECTIONS.CHECKPOINT_POSITION, to.position())
                    .where(PROJECTIONS.NAME.eq(lease.projection()))
                    .execute();
            return true;
        }
    };

    /**
     * Fenced, but applies a batch read ahead, or read with the lock after where the runner left the checkpoint,
     * wherever the checkpoint has got to meanwhile.
     */
    static final CheckpointGuard IGNORING_WHERE_A_READ_AHEAD_FOLLOWS_ON = new CheckpointGuard() {
        @Override
        public Optional<LockedCheckpoint> lock(DSLContext transaction, Lease lease) {
            return FENCED.lock(transaction, lease);
        }

        @Override
        public LockedRead lockAndRead(
                DSLContext transaction, String limits, Lease lease, @Nullable Checkpoint expected, int batchSize) {
            return FENCED.lockAndRead(transaction, limits, lease, expected, batchSize);
        }

        @Override
        public boolean advance(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to) {
            return FENCED.advance(transaction, lease, from, to);
        }

        @Override
        public boolean followsOn(Checkpoint locked, Checkpoint readAfter) {
            return true;
        }
    };
}
