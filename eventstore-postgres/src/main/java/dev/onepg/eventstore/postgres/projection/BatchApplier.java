package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.GlobalLog;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Applies the next batch of the global log to a projection within the caller's transaction, and moves its
 * checkpoint there too: committed together, or not at all.
 *
 * <p>A live batch sends the projection's {@linkplain ProjectionTransaction#writeWithCommit last write} with the
 * checkpoint's move and the commit; a rebuild's batches send every write at once.
 *
 * <p>The checkpoint row is locked first. Whoever else wants to move it (a runner that took the lease over, a
 * rebuild switching views) waits at that lock or skips it before touching any view, so nobody applies a batch
 * twice and nobody deadlocks.
 */
final class BatchApplier {

    /**
     * Events read beforehand: the ones right after {@code after} in the global log, by a read that began at {@code
     * readStarted} ({@link System#nanoTime()}).
     */
    record ReadAhead(Checkpoint after, List<RecordedEvent> events, long readStarted) {}

    private BatchApplier() {}

    /**
     * Applies the next batch as the lease's holder: nothing is read or written unless the lease still holds, and
     * the lease is renewed with the checkpoint ({@code renew}: also when there is nothing to apply). The batch is
     * taken from {@code readAhead} when that was read from where the locked checkpoint is; otherwise it is read
     * with the lock, in the same round trip, after where the caller {@code expected} the checkpoint, and read
     * again after the locked one only when that was elsewhere. It is handed to {@code beforeApplying} once it is
     * known, so that the caller can read the one after it while this one is applied and committed.
     *
     * @throws ProjectionFailure when the projection throws; the caller's transaction must roll back
     *
     * <p>Events read ahead are as good as events read here: the global log hands out only events of finished
     * transactions, so nothing can appear between them later, and the fenced move of the checkpoint from where
     * they follow on is what makes the batch count once.
     */
    static BatchOutcome applyNext(
            DSLContext transaction,
            Connection connection,
            String limits,
            CheckpointGuard guard,
            Lease lease,
            Projection projection,
            int batchSize,
            boolean renew,
            @Nullable ReadAhead readAhead,
            @Nullable Checkpoint expected,
            Consumer<List<RecordedEvent>> beforeApplying) {
        boolean readBefore = readAhead != null && !readAhead.events().isEmpty();
        CheckpointGuard.LockedRead start =
                guard.lockAndRead(transaction, limits, lease, readBefore ? null : expected, batchSize);
        Optional<LockedCheckpoint> locked = start.locked();
        if (locked.isEmpty()) {
            return new BatchOutcome.LeaseLost();
        }
        ReadAhead read = readBefore ? readAhead : start.read();
        ProjectionState state = locked.get().state();
        Checkpoint checkpoint = locked.get().checkpoint();
        List<RecordedEvent> events;
        if (state != ProjectionState.RUNNING) {
            events = List.of();
        } else if (read != null && guard.followsOn(checkpoint, read.after())) {
            events = read.events().size() > batchSize ? read.events().subList(0, batchSize) : read.events();
        } else {
            events = GlobalLog.readAfter(transaction, checkpoint, batchSize);
        }
        if (events.isEmpty()) {
            if (renew && !Checkpoints.renewLease(transaction, lease)) {
                return new BatchOutcome.LeaseLost();
            }
            return state == ProjectionState.RUNNING ? new BatchOutcome.CaughtUp() : new BatchOutcome.Held(state);
        }
        beforeApplying.accept(events);
        LiveBatchTransaction batch = new LiveBatchTransaction(connection);
        List<RecordedEvent> handled = apply(projection, events, batch);
        boolean moved;
        try {
            moved = guard.advanceAndCommit(
                    transaction, lease, checkpoint, events.getLast().checkpoint(), batch.lastWrite());
        } catch (LastWriteFailed failed) {
            throw new ProjectionFailure(handled.size() == 1 ? handled.getFirst() : null, failed.getCause());
        }
        if (!moved) {
            throw new IllegalStateException("the locked checkpoint of " + lease.projection() + " moved");
        }
        return new BatchOutcome.Applied(events.size());
    }

    /**
     * Applies the next batch to a checkpoint that no lease guards (a rebuild's own); returns the events of the log
     * that were passed (none: caught up), of which only the handled ones were applied.
     */
    static List<RecordedEvent> applyNext(
            Connection connection, String checkpointName, Projection projection, int batchSize) {
        DSLContext transaction = DSL.using(connection, SQLDialect.POSTGRES);
        Checkpoint checkpoint = Checkpoints.lockCheckpoint(transaction, checkpointName);
        List<RecordedEvent> events = GlobalLog.readAfter(transaction, checkpoint, batchSize);
        if (events.isEmpty()) {
            return events;
        }
        apply(projection, events, connection);
        if (!Checkpoints.advance(
                transaction, checkpointName, checkpoint, events.getLast().checkpoint())) {
            throw new IllegalStateException("the locked checkpoint of " + checkpointName + " moved");
        }
        return events;
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

    /**
     * Applies the events the projection handles, within the caller's transaction, and moves no checkpoint. Every
     * write is sent before this returns.
     */
    static void apply(Projection projection, List<RecordedEvent> events, Connection connection) {
        apply(projection, events, () -> connection);
    }

    /** Applies the events the projection handles within {@code transaction}; returns them. */
    private static List<RecordedEvent> apply(
            Projection projection, List<RecordedEvent> events, ProjectionTransaction transaction) {
        List<RecordedEvent> handled = events.stream()
                .filter(event -> projection.handles(event.type()))
                .toList();
        if (handled.isEmpty()) {
            return handled;
        }
        try {
            if (handled.size() == 1) {
                projection.apply(handled.getFirst(), transaction);
            } else {
                projection.apply(handled, transaction);
            }
        } catch (Exception e) {
            throw new ProjectionFailure(handled.size() == 1 ? handled.getFirst() : null, e);
        }
        return handled;
    }
}
