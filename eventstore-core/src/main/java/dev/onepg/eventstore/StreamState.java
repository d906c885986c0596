package dev.onepg.eventstore;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A stream as a command handler sees it: its version and the state its events fold into, and, when it was read
 * from the log, the events themselves. A state from a cache of recently written streams has no events and may be
 * behind the log; the expected version of the append made from it finds that out.
 *
 * @param <S> the states
 */
public record StreamState<S>(
        StreamId stream, long version, S state, @Nullable List<RecordedEvent> events) {

    public StreamState {
        if (version < 0) {
            throw new IllegalArgumentException("a stream's version is 0 or more, was " + version);
        }
        if (events != null) {
            events = List.copyOf(events);
            long last = events.isEmpty() ? 0 : events.getLast().version();
            if (last != version) {
                throw new IllegalArgumentException("the events end at version " + last + ", not at " + version);
            }
        }
    }

    /** The stream as read from the log: its events, oldest first, and the state they fold into. */
    public static <S> StreamState<S> read(StreamId stream, List<RecordedEvent> events, S state) {
        return new StreamState<>(stream, events.isEmpty() ? 0 : events.getLast().version(), state, events);
    }

    /** The stream's state at a version as remembered by a cache, without its events. */
    public static <S> StreamState<S> remembered(StreamId stream, long version, S state) {
        return new StreamState<>(stream, version, state, null);
    }

    /** Whether this state was read from the log now, rather than remembered (and so perhaps behind). */
    public boolean readFromLog() {
        return events != null;
    }

    /**
     * The stream's events, oldest first.
     *
     * @throws IllegalStateException for a remembered state, which has none: a command that needs them asks the
     *     handler to read the stream ({@link CommandHandler.Request#readsEvents()})
     */
    @Override
    public List<RecordedEvent> events() {
        if (events == null) {
            throw new IllegalStateException("the state of " + stream + " at version " + version
                    + " was remembered without its events; a command that needs them must ask for a read");
        }
        return events;
    }
}
