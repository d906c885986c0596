package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.RecordedEvent;
import org.jspecify.annotations.Nullable;

/**
 * A projection threw while applying events; {@code event} is the one it failed on, when known. Unchecked, so that
 * it rolls back the jOOQ transaction it is thrown in.
 */
final class ProjectionFailure extends RuntimeException {

    private final transient @Nullable RecordedEvent event;

    ProjectionFailure(@Nullable RecordedEvent event, Throwable cause) {
        super(cause);
        this.event = event;
    }

    @Nullable
    RecordedEvent event() {
        return event;
    }
}
