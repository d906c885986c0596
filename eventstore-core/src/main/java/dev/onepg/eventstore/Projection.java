package dev.onepg.eventstore;

import java.util.List;
import java.util.Set;

/**
 * Builds a view from events (an aggregator). The runner feeds it every event of the types it handles exactly
 * once, in global order, and commits its changes together with its checkpoint.
 */
public interface Projection {

    /** Unique and stable: the checkpoint is kept under this name. */
    String name();

    /** The event types this projection wants; the others pass by without a call. */
    Set<String> eventTypes();

    /** Whether the runner passes events of this type to {@link #apply}; a projection of every type overrides it. */
    default boolean handles(String eventType) {
        return eventTypes().contains(eventType);
    }

    /**
     * Applies one event to the view within the runner's transaction; throwing rolls the whole batch back. Throw
     * {@link ProjectionTargetUnavailable} when a target outside the database is down: the batch is retried later.
     */
    void apply(RecordedEvent event, ProjectionTransaction transaction) throws Exception;

    /** Applies a batch in order; override to write a batch with fewer round trips. */
    default void apply(List<RecordedEvent> events, ProjectionTransaction transaction) throws Exception {
        for (RecordedEvent event : events) {
            apply(event, transaction);
        }
    }
}
