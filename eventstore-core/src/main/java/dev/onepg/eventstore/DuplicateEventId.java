package dev.onepg.eventstore;

import java.util.UUID;

/** An event id that is already stored with other content (or in another stream, or in another batch). */
public final class DuplicateEventId extends EventStoreException {

    private final UUID eventId;

    public DuplicateEventId(UUID eventId, String reason) {
        super("event id " + eventId + " is already used " + reason);
        this.eventId = eventId;
    }

    public UUID eventId() {
        return eventId;
    }
}
