package dev.onepg.eventstore.postgres.projection;

/** Whether a projection is applying events. */
public enum ProjectionState {
    /** Applying events as they come. */
    RUNNING,
    /** Held by an operator; resumes where it stopped. */
    PAUSED,
    /** Stopped at an event it could not apply; the error and the event are in its status. */
    FAILED
}
