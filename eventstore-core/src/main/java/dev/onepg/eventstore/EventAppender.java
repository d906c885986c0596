package dev.onepg.eventstore;

import java.util.List;

/** Appends events to a stream, atomically and only at the expected version. */
public interface EventAppender {

    /**
     * Appends the request's events as one atomic batch. Appending again a batch whose event ids are stored with
     * the same content returns the original result and stores nothing.
     *
     * @throws WrongExpectedVersion when the stream is not at the expected version
     * @throws DuplicateEventId when an event id is already stored with other content
     * @throws UniqueKeyTaken when another stream holds a claimed key
     */
    AppendResult append(AppendRequest request);

    default AppendResult append(StreamId stream, ExpectedVersion expectedVersion, List<NewEvent> events) {
        return append(AppendRequest.of(stream, expectedVersion, events));
    }
}
