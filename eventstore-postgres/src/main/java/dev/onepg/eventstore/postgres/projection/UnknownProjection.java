package dev.onepg.eventstore.postgres.projection;

/** No projection of that name runs here. */
public final class UnknownProjection extends RuntimeException {

    public UnknownProjection(String name) {
        super("there is no projection named '" + name + "'");
    }
}
