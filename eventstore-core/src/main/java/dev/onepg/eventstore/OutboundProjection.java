package dev.onepg.eventstore;

import java.util.List;

/**
 * A projection whose target lies outside the database (a message broker). The runner hands it each batch while
 * no database transaction of the runner is open, and moves the checkpoint past the batch only after
 * {@link #deliver} returned, in a short transaction that checks the runner still leads. A slow or absent target
 * therefore never holds a transaction open, which would keep every reader of the log behind it.
 */
public interface OutboundProjection extends Projection {

    /**
     * Delivers the events in order and returns only when the target has every one of them. Throw
     * {@link ProjectionTargetUnavailable} when the target is down: the same batch is delivered again later.
     */
    void deliver(List<RecordedEvent> events) throws Exception;

    @Override
    default void apply(RecordedEvent event, ProjectionTransaction transaction) throws Exception {
        deliver(List.of(event));
    }

    @Override
    default void apply(List<RecordedEvent> events, ProjectionTransaction transaction) throws Exception {
        deliver(events);
    }
}
