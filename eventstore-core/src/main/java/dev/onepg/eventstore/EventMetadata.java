package dev.onepg.eventstore;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who caused an event and why: the authenticated actor, the request it belongs to, the event or command it
 * follows from, and free headers.
 */
public record EventMetadata(
        @Nullable String actor,
        @Nullable String correlationId,
        @Nullable String causationId,
        Map<String, String> headers) {

    public static final EventMetadata NONE = new EventMetadata(null, null, null, Map.of());

    public EventMetadata {
        headers = Map.copyOf(headers);
    }

    public EventMetadata withCorrelationId(@Nullable String correlationId) {
        return new EventMetadata(actor, correlationId, causationId, headers);
    }
}
