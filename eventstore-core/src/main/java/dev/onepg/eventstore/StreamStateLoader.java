package dev.onepg.eventstore;

/**
 * Loads a stream and folds it into its current state. The plain loader reads every event each time; a cache of
 * folded states can sit in front of it without the command handler knowing.
 *
 * @param <S> the states
 */
@FunctionalInterface
public interface StreamStateLoader<S> {

    StreamState<S> load(StreamId stream);

    /** Reads the whole stream from the reader and folds it with the decider. */
    static <E, S> StreamStateLoader<S> reading(StreamReader reader, EventTypes<E> types, Decider<?, E, S> decider) {
        return stream -> {
            var events = reader.read(stream);
            return new StreamState<>(stream, events, decider.fold(types.decode(events)));
        };
    }
}
