package dev.onepg.eventstore;

import java.util.List;
import java.util.UUID;

/** What an append stored: each event's version in its stream and position in the global log. */
public record AppendResult(StreamId stream, List<Appended> events) {

    /** One stored event. */
    public record Appended(UUID eventId, long version, long position) {}

    public AppendResult {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an append result names at least one event");
        }
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
