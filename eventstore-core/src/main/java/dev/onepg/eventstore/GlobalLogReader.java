package dev.onepg.eventstore;

import java.util.List;

/** Reads all events in global order, in batches, never skipping one that commits late. */
public interface GlobalLogReader {

    /**
     * The next events after the checkpoint, at most {@code limit}, of transactions that have all finished: a
     * later call after the returned last checkpoint continues without gaps.
     */
    List<RecordedEvent> readAfter(Checkpoint checkpoint, int limit);
}
