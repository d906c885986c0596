package dev.onepg.eventstore;

import java.util.List;
import java.util.UUID;

/**
 * What an append stored: each event's version in its stream and position in the global log.
 *
 * @param replayed whether the events were stored before, by an earlier append of the same event ids with the
 *     same content, and this is that append's result: nothing was stored now
 */
public record AppendResult(StreamId stream, List<Appended> events, boolean replayed) {

    /** One stored event. */
    public record Appended(UUID eventId, long version, long position) {}

    public AppendResult {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an append result names at least one event");
        }
    }

    /** The result of an append that stored its events now. */
    public AppendResult(StreamId stream, List<Appended> events) {
        this(stream, events, false);
    }

    /** This result, as the answer to a retry of the append that stored it. */
    public AppendResult asReplay() {
        return new AppendResult(stream, events, true);
    }

    /** This result, as the answer to the append that stored it. */
    public AppendResult asStored() {
        return new AppendResult(stream, events, false);
    }

    /** The stream's version after the append: the expected version of the next one. */
    public long lastVersion() {
        return events.getLast().version();
    }

    /** The highest position written, which a reader can wait for. */
    public long lastPosition() {
        return events.stream().mapToLong(Appended::position).max().orElseThrow();
    }
}
