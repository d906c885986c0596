package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.RecordedEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a live batch sends in its last round trip, around the move of the checkpoint and the commit.
 *
 * @param lockFirst whether the transaction's limits and the lock of the checkpoint go first: a batch of events
 *     read beforehand whose projection sent nothing at once has not locked it yet
 * @param limits the transaction's limits, as a statement
 * @param lastWrite the projection's write held back for the commit, if it left one
 * @param readOn how many events to read after the batch once it committed, in the same round trip; 0 reads none
 */
record LastRoundTrip(boolean lockFirst, String limits, LiveBatchTransaction.@Nullable LastWrite lastWrite, int readOn) {

    /** The same round trip, from a checkpoint locked before it. */
    LastRoundTrip locked() {
        return new LastRoundTrip(false, limits, lastWrite, readOn);
    }

    /**
     * What the round trip came to.
     *
     * @param moved whether the checkpoint moved (if not, the transaction is aborted and must be rolled back)
     * @param readOn the events after the batch, read once it committed; {@code null} when none were asked for
     */
    record Outcome(boolean moved, @Nullable List<RecordedEvent> readOn) {}
}
