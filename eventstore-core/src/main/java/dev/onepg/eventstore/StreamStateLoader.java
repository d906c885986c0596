package dev.onepg.eventstore;

/**
 * Loads a stream's current state for a command handler: read from the log and folded, or remembered from an
 * earlier read or append. A remembered state may be behind the log (another instance appended since); that is safe
 * because every append names the version its decision was made on, and the handler reads the log whenever a
 * remembered state led anywhere but to a stored append.
 *
 * @param <S> the states
 */
@FunctionalInterface
public interface StreamStateLoader<S> {

    /** Reads the stream from the log and folds it: never behind what was committed before the read. */
    StreamState<S> read(StreamId stream);

    /** The stream's state, remembered where the loader keeps states, else read. */
    default StreamState<S> load(StreamId stream) {
        return read(stream);
    }

    /** Tells the loader the state an append stored, at the version it stored it at. */
    default void stored(StreamState<S> after) {}

    /** Reads the whole stream from the reader and folds it with the decider. */
    static <E, S> StreamStateLoader<S> reading(StreamReader reader, EventTypes<E> types, Decider<?, E, S> decider) {
        return stream -> {
            var events = reader.read(stream);
            return StreamState.read(stream, events, decider.fold(types.decode(events)));
        };
    }

    /** A loader that remembers the states of up to {@code capacity} recently read or written streams. */
    static <S> StreamStateLoader<S> remembering(StreamStateLoader<S> log, int capacity) {
        return new RecentStreamStates<>(log, capacity);
    }
}
