package dev.onepg.users.application.port.in;

import org.jspecify.annotations.Nullable;

/**
 * Who asks for a change, as the inbound adapter knows it: the authenticated caller and the request's correlation
 * id. Both are recorded with the event; neither is ever taken from the client's payload.
 */
public record Actor(@Nullable String name, @Nullable String correlationId) {

    /** Nobody in particular: a change made by the system itself, or in a test. */
    public static final Actor NONE = new Actor(null, null);
}
