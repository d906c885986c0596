package dev.onepg.users.application.port.in;

import java.util.UUID;

/** The request's event id is already used by another event, with other content or of another user. */
public final class EventIdReused extends RuntimeException {

    private final UUID eventId;

    public EventIdReused(UUID eventId, Throwable cause) {
        super(cause.getMessage(), cause);
        this.eventId = eventId;
    }

    public UUID eventId() {
        return eventId;
    }
}
