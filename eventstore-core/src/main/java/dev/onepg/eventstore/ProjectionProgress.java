package dev.onepg.eventstore;

import java.time.Duration;

/** How far projections have come: what a reader needs to read its own writes. */
public interface ProjectionProgress {

    /**
     * Whether the projection has applied the event at this position and every event before it in the global
     * order (which follows commits, not positions alone).
     */
    boolean hasReached(String projection, long position);

    /**
     * Waits until the projection has applied the event at this position, at most {@code timeout}.
     *
     * @return whether it got there in time
     */
    boolean awaitPosition(String projection, long position, Duration timeout) throws InterruptedException;
}
