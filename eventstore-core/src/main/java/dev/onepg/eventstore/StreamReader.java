package dev.onepg.eventstore;

import java.util.List;

/** Reads the events of one stream, oldest first. */
public interface StreamReader {

    List<RecordedEvent> read(StreamId stream, StreamQuery query);

    default List<RecordedEvent> read(StreamId stream) {
        return read(stream, StreamQuery.ALL);
    }

    /** The stream's current version, 0 when it has no events. */
    long currentVersion(StreamId stream);
}
