package dev.onepg.eventstore;

import java.util.UUID;

/**
 * An event to append.
 *
 * @param eventId chosen by the client, so that a retried append can be recognised
 * @param type the event's type name, such as {@code UserCreated}
 * @param schemaVersion the version of the payload's shape, for upcasting old events
 * @param payload the event's data as a JSON object
 */
public record NewEvent(UUID eventId, String type, int schemaVersion, String payload, EventMetadata metadata) {

    public NewEvent {
        if (eventId == null) {
            throw new IllegalArgumentException("event id must not be null");
        }
        StreamId.requireText(type, "event type");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schema version must be 1 or more, was " + schemaVersion);
        }
        if (payload == null || !payload.strip().startsWith("{")) {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
        if (metadata == null) {
            metadata = EventMetadata.NONE;
        }
    }

    public static NewEvent of(UUID eventId, String type, String payload) {
        return new NewEvent(eventId, type, 1, payload, EventMetadata.NONE);
    }

    public NewEvent withMetadata(EventMetadata metadata) {
        return new NewEvent(eventId, type, schemaVersion, payload, metadata);
    }
}
