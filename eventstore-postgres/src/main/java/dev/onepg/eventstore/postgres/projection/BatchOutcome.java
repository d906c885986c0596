package dev.onepg.eventstore.postgres.projection;

/** What one batch transaction of a leader came to. */
sealed interface BatchOutcome {

    /** Events of the log were passed and the checkpoint moved past them (the lease was renewed with it). */
    record Applied(int events) implements BatchOutcome {}

    /** Nothing to apply yet. */
    record CaughtUp() implements BatchOutcome {}

    /** An operator paused the projection, or it stopped at a failing event. */
    record Held(ProjectionState state) implements BatchOutcome {}

    /** Another runner took the lease over: nothing was written, and this runner no longer leads. */
    record LeaseLost() implements BatchOutcome {}

    /** The projection threw; the batch was rolled back. */
    record Failed(ProjectionFailure failure) implements BatchOutcome {}
}
