package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.GlobalLog;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
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

    /** Events read beforehand: the ones right after {@code after} in the global log. */
    record ReadAhead(Checkpoint after, List<RecordedEvent> events) {}

    private BatchApplier() {}

    /** What the runner hears of a live batch as it goes. */
    interface Steps {

        /** The batch is known and about to be applied. */
        void applying(List<RecordedEvent> events);

        /** The events after the batch are about to be read, in the round trip of its commit. */
        void readingOn();

        /** The events after the batch, read once it committed (none if nothing followed yet). */
        void readOn(ReadAhead next);
    }

    /**
     * Applies the next batch as the lease's holder: nothing is read or written unless the lease still holds, and
     * the lease is renewed with the checkpoint ({@code renew}: also when there is nothing to apply).
     *
     * <p>A batch of events read beforehand ({@code readAhead}: read ahead while the batch before committed, or read
     * in that commit's round trip) locks the checkpoint where they follow on, in its last round trip with the
     * projection's last write, the checkpoint's move and the commit, unless the projection sends a statement of its
     * own first: one round trip in all when the projection leaves its writes for the commit. Otherwise the batch
     * is read with the lock, in one round trip, after where the caller {@code expected} the checkpoint, and read
     * again after the locked one only when that was elsewhere.
     *
     * <p>A batch shorter than {@code batchSize} reads up to {@code readOn} events after it in its commit's round
     * trip (0: none), and hands them to {@code steps}, for the next batch. A full batch does not: its caller reads
     * the next one while it is applied.
     *
     * @throws ProjectionFailure when the projection throws; the caller's transaction must roll back
     * @throws StaleRead when the events read beforehand no longer follow on from the checkpoint; nothing was
     *     written, and the caller's transaction must roll back
     *
     * <p>Events read beforehand are as good as events read here: the global log hands out only events of finished
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
            int readOn,
            Steps steps) {
        if (readAhead != null && !readAhead.events().isEmpty()) {
            return applyReadBefore(
                    transaction, connection, limits, guard, lease, projection, batchSize, readAhead, readOn, steps);
        }
        CheckpointGuard.LockedRead start = guard.lockAndRead(transaction, limits, lease, expected, batchSize);
        Optional<LockedCheckpoint> locked = start.locked();
        if (locked.isEmpty()) {
            return new BatchOutcome.LeaseLost();
        }
        ReadAhead read = start.read();
        ProjectionState state = locked.get().state();
        Checkpoint checkpoint = locked.get().checkpoint();
        List<RecordedEvent> events;
        if (state != ProjectionState.RUNNING) {
            events = List.of();
        } else if (read != null && guard.followsOn(checkpoint, read.after())) {
            events = firstOf(read.events(), batchSize);
        } else {
            events = GlobalLog.readAfter(transaction, checkpoint, batchSize);
        }
        if (events.isEmpty()) {
            if (renew && !Checkpoints.renewLease(transaction, lease)) {
                return new BatchOutcome.LeaseLost();
            }
            return state == ProjectionState.RUNNING ? new BatchOutcome.CaughtUp() : new BatchOutcome.Held(state);
        }
        steps.applying(events);
        LiveBatchTransaction batch = new LiveBatchTransaction(connection);
        List<RecordedEvent> handled = apply(projection, events, batch);
        return commit(
                transaction,
                guard,
                lease,
                checkpoint,
                events,
                handled,
                new LastRoundTrip(false, limits, batch.lastWrite(), readOnAfter(events, batchSize, readOn)),
                steps);
    }

    private static BatchOutcome applyReadBefore(
            DSLContext transaction,
            Connection connection,
            String limits,
            CheckpointGuard guard,
            Lease lease,
            Projection projection,
            int batchSize,
            ReadAhead read,
            int readOn,
            Steps steps) {
        List<RecordedEvent> events = firstOf(read.events(), batchSize);
        steps.applying(events);
        LiveBatchTransaction batch =
                new LiveBatchTransaction(connection, () -> guard.lockAt(transaction, limits, lease, read.after()));
        List<RecordedEvent> handled;
        try {
            handled = apply(projection, events, batch);
        } catch (ProjectionFailure failure) {
            batch.lockedAt();
            throw failure;
        }
        Checkpoint lockedAt = batch.lockedAt();
        return commit(
                transaction,
                guard,
                lease,
                lockedAt == null ? read.after() : lockedAt,
                events,
                handled,
                new LastRoundTrip(lockedAt == null, limits, batch.lastWrite(), readOnAfter(events, batchSize, readOn)),
                steps);
    }

    private static BatchOutcome commit(
            DSLContext transaction,
            CheckpointGuard guard,
            Lease lease,
            Checkpoint from,
            List<RecordedEvent> events,
            List<RecordedEvent> handled,
            LastRoundTrip trip,
            Steps steps) {
        Checkpoint to = events.getLast().checkpoint();
        if (trip.readOn() > 0) {
            steps.readingOn();
        }
        LastRoundTrip.Outcome outcome;
        try {
            outcome = guard.advanceAndCommit(transaction, lease, from, to, trip);
        } catch (LastWriteFailed failed) {
            throw new ProjectionFailure(handled.size() == 1 ? handled.getFirst() : null, failed.getCause());
        }
        if (!outcome.moved()) {
            throw new IllegalStateException("the locked checkpoint of " + lease.projection() + " moved");
        }
        List<RecordedEvent> next = outcome.readOn();
        if (next != null) {
            steps.readOn(new ReadAhead(to, next));
        }
        return new BatchOutcome.Applied(events.size());
    }

    /** How many events to read after a batch in its commit's round trip: none after a full one. */
    private static int readOnAfter(List<RecordedEvent> events, int batchSize, int readOn) {
        return events.size() < batchSize ? readOn : 0;
    }

    private static List<RecordedEvent> firstOf(List<RecordedEvent> events, int batchSize) {
        return events.size() > batchSize ? events.subList(0, batchSize) : events;
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
