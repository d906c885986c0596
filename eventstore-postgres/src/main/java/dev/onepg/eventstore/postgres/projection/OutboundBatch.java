package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.OutboundProjection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.GlobalLog;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jooq.DSLContext;

/**
 * Delivers the next batch of the log to an outbound projection in three steps, so that no transaction is open
 * while the target is waited for: a short transaction reads the batch under the lease and renews it; the
 * projection delivers the batch with no transaction open; a second short transaction moves the checkpoint past
 * the batch, only if the lease still holds and the checkpoint is still where the batch was read.
 *
 * <p>A runner deposed while it delivered moves nothing, so the new leader delivers the same events again: a
 * batch can reach the target twice, but the checkpoint never passes an event the target did not take.
 */
final class OutboundBatch {

    private OutboundBatch() {}

    static BatchOutcome deliverNext(
            TimeLimitedTransactions transactions,
            CheckpointGuard guard,
            Lease lease,
            OutboundProjection projection,
            int batchSize,
            Consumer<List<RecordedEvent>> afterReading) {
        Read read = transactions.inTransaction(transaction -> read(transaction, guard, lease, batchSize));
        if (!(read instanceof Read.Batch batch)) {
            return ((Read.Nothing) read).outcome();
        }
        afterReading.accept(batch.events());
        List<RecordedEvent> handled = batch.events().stream()
                .filter(event -> projection.handles(event.type()))
                .toList();
        try {
            if (!handled.isEmpty()) {
                projection.deliver(handled);
            }
        } catch (Exception e) {
            return new BatchOutcome.Failed(new ProjectionFailure(handled.size() == 1 ? handled.getFirst() : null, e));
        }
        Checkpoint past = batch.events().getLast().checkpoint();
        return transactions.inTransaction(transaction -> {
            if (guard.lock(transaction, lease).isEmpty()) {
                return new BatchOutcome.LeaseLost();
            }
            if (!guard.advance(transaction, lease, batch.from(), past)) {
                throw new IllegalStateException(
                        "the checkpoint of " + lease.projection() + " moved while its batch was delivered");
            }
            return new BatchOutcome.Applied(batch.events().size());
        });
    }

    /** Renews the lease every time: the delivery that follows may take up to the target's own timeout. */
    private static Read read(DSLContext transaction, CheckpointGuard guard, Lease lease, int batchSize) {
        Optional<LockedCheckpoint> locked = guard.lock(transaction, lease);
        if (locked.isEmpty() || !Checkpoints.renewLease(transaction, lease)) {
            return new Read.Nothing(new BatchOutcome.LeaseLost());
        }
        if (locked.get().state() != ProjectionState.RUNNING) {
            return new Read.Nothing(new BatchOutcome.Held(locked.get().state()));
        }
        Checkpoint from = locked.get().checkpoint();
        List<RecordedEvent> events = GlobalLog.readAfter(transaction, from, batchSize);
        return events.isEmpty() ? new Read.Nothing(new BatchOutcome.CaughtUp()) : new Read.Batch(from, events);
    }

    private sealed interface Read {

        record Nothing(BatchOutcome outcome) implements Read {}

        record Batch(Checkpoint from, List<RecordedEvent> events) implements Read {}
    }
}
