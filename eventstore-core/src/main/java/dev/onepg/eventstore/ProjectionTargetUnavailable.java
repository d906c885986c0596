package dev.onepg.eventstore;

/**
 * Thrown by a projection whose target outside the database (a broker, another service) cannot take the batch
 * now. Nothing is wrong with the events: the runner rolls the batch back and retries the same batch later, with
 * backoff and without limit, instead of isolating an event and stopping at it.
 */
public class ProjectionTargetUnavailable extends Exception {

    public ProjectionTargetUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
