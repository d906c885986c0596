package dev.onepg.eventstore;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored: where it sits in its stream ({@code version}) and in the global log
 * ({@code checkpoint}), and when the database recorded it.
 */
public record RecordedEvent(
        UUID eventId,
        StreamId stream,
        long version,
        Checkpoint checkpoint,
        String type,
        int schemaVersion,
        String payload,
        EventMetadata metadata,
        Instant recordedAt) {

    /** The event's position in the global log: unique and increasing in the order positions were taken. */
    public long position() {
        return checkpoint.position();
    }
}
