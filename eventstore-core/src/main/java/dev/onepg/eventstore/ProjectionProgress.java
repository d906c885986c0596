package dev.onepg.eventstore;

import java.time.Duration;

/** How far projections have come: what a reader needs to read its own writes. */
public interface ProjectionProgress {

    /**
     * Whether the projection has applied every event of the log up to this position. A position that holds no
     * event (0, or one a rolled-back append left empty) is reached once every event before it is applied.
     */
    boolean hasReached(String projection, long position);

    /**
     * Waits until the projection has applied every event up to this position, at most {@code timeout}.
     *
     * @return whether it got there in time
     */
    boolean awaitPosition(String projection, long position, Duration timeout) throws InterruptedException;
}
