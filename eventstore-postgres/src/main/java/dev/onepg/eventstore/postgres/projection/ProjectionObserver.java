package dev.onepg.eventstore.postgres.projection;

import java.time.Duration;

/** Told what projections do, for metrics; called on the runner's thread. */
public interface ProjectionObserver {

    ProjectionObserver NONE = new ProjectionObserver() {};

    /** A batch of {@code events} log entries was committed in {@code duration}, and the checkpoint moved. */
    default void batchApplied(String projection, int events, Duration duration) {}

    /** A poll that no notification prompted found events: a notification was lost or never sent. */
    default void fallbackPollFoundEvents(String projection) {}

    /** A projection failed on an event and will retry it. */
    default void failed(String projection) {}

    /** This instance took the projection's lease and now runs it. */
    default void leaseAcquired(String projection, long generation) {}

    /** Another instance took the projection's lease over while this one did not renew it in time. */
    default void leaseLost(String projection) {}
}
