package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.GlobalLog;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Applies the next batch of the global log to a projection within the caller's transaction, and moves its
 * checkpoint there too: committed together, or not at all.
 *
 * <p>The checkpoint row is locked first. Whoever else wants to move it (a runner that took the lease over, a
 * rebuild switching views) waits at that lock or skips it before touching any view, so nobody applies a batch
 * twice and nobody deadlocks.
 */
final class BatchApplier {

    private BatchApplier() {}

    /**
     * Applies the next batch as the lease's holder: nothing is read or written unless the lease still holds, and
     * the lease is renewed with the checkpoint.
     *
     * @param renew whether to renew the lease also when there is nothing to apply
     * @throws ProjectionFailure when the projection throws; the caller's transaction must roll back
     */
    static BatchOutcome applyNext(
            DSLContext transaction,
            Connection connection,
            CheckpointGuard guard,
            Lease lease,
            Projection projection,
            int batchSize,
            boolean renew) {
        Optional<LockedCheckpoint> locked = guard.lock(transaction, lease);
        if (locked.isEmpty()) {
            return new BatchOutcome.LeaseLost();
        }
        ProjectionState state = locked.get().state();
        List<RecordedEvent> events = state == ProjectionState.RUNNING
                ? GlobalLog.readAfter(transaction, locked.get().checkpoint(), batchSize)
                : List.of();
        if (events.isEmpty()) {
            if (renew && !Checkpoints.renewLease(transaction, lease)) {
                return new BatchOutcome.LeaseLost();
            }
            return state == ProjectionState.RUNNING ? new BatchOutcome.CaughtUp() : new BatchOutcome.Held(state);
        }
        apply(projection, events, connection);
        if (!guard.advance(
                transaction, lease, locked.get().checkpoint(), events.getLast().checkpoint())) {
            throw new IllegalStateException("the locked checkpoint of " + lease.projection() + " moved");
        }
        return new BatchOutcome.Applied(events.size());
    }

    /**
     * Applies the next batch to a checkpoint that no lease guards (a rebuild's own); returns how many events of
     * the log were passed (0: caught up), of which only the handled ones were applied.
     */
    static int applyNext(Connection connection, String checkpointName, Projection projection, int batchSize) {
        DSLContext transaction = DSL.using(connection, SQLDialect.POSTGRES);
        Checkpoint checkpoint = Checkpoints.lockCheckpoint(transaction, checkpointName);
        List<RecordedEvent> events = GlobalLog.readAfter(transaction, checkpoint, batchSize);
        if (events.isEmpty()) {
            return 0;
        }
        apply(projection, events, connection);
        if (!Checkpoints.advance(
                transaction, checkpointName, checkpoint, events.getLast().checkpoint())) {
            throw new IllegalStateException("the locked checkpoint of " + checkpointName + " moved");
        }
        return events.size();
    }

    /**
     * Applies events that were read beforehand, the ones right after {@code after}, and moves the checkpoint past
     * them; fails if the checkpoint is no longer at {@code after}, so events read ahead are never applied twice.
     */
    static void applyRead(
            Connection connection,
            String checkpointName,
            Projection projection,
            Checkpoint after,
            List<RecordedEvent> events) {
        DSLContext transaction = DSL.using(connection, SQLDialect.POSTGRES);
        Checkpoint checkpoint = Checkpoints.lockCheckpoint(transaction, checkpointName);
        if (!checkpoint.equals(after)) {
            throw new IllegalStateException("the checkpoint of " + checkpointName + " is at " + checkpoint + ", not at "
                    + after + " where the events read ahead follow on");
        }
        if (events.isEmpty()) {
            return;
        }
        apply(projection, events, connection);
        Checkpoints.advance(
                transaction, checkpointName, checkpoint, events.getLast().checkpoint());
    }

    /** Applies the events the projection handles, within the caller's transaction, and moves no checkpoint. */
    static void apply(Projection projection, List<RecordedEvent> events, Connection connection) {
        List<RecordedEvent> handled = events.stream()
                .filter(event -> projection.handles(event.type()))
                .toList();
        if (handled.isEmpty()) {
            return;
        }
        try {
            if (handled.size() == 1) {
                projection.apply(handled.getFirst(), () -> connection);
            } else {
                projection.apply(handled, () -> connection);
            }
        } catch (Exception e) {
            throw new ProjectionFailure(handled.size() == 1 ? handled.getFirst() : null, e);
        }
    }
}
