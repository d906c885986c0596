package dev.onepg.eventstore.postgres.projection;

/** The projection is not in a state that allows the operation (skip a running one, rebuild twice...). */
public final class ProjectionStateConflict extends RuntimeException {

    public ProjectionStateConflict(String message) {
        super(message);
    }
}
