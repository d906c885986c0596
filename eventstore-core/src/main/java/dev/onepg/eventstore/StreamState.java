package dev.onepg.eventstore;

import java.util.List;

/**
 * A stream as a command handler sees it: its events as stored, and the state they fold into.
 *
 * @param <S> the states
 */
public record StreamState<S>(StreamId stream, List<RecordedEvent> events, S state) {

    public StreamState {
        events = List.copyOf(events);
    }

    /** The stream's version: 0 when it has no events. */
    public long version() {
        return events.isEmpty() ? 0 : events.getLast().version();
    }
}
