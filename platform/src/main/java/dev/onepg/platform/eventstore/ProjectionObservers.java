package dev.onepg.platform.eventstore;

import dev.onepg.eventstore.postgres.projection.ProjectionObserver;
import java.time.Duration;
import java.util.List;

/** Tells several observers, in order, what projections do. */
record ProjectionObservers(List<ProjectionObserver> observers) implements ProjectionObserver {

    @Override
    public void batchApplied(String projection, int events, Duration duration) {
        observers.forEach(observer -> observer.batchApplied(projection, events, duration));
    }

    @Override
    public void fallbackPollFoundEvents(String projection) {
        observers.forEach(observer -> observer.fallbackPollFoundEvents(projection));
    }

    @Override
    public void failed(String projection) {
        observers.forEach(observer -> observer.failed(projection));
    }
}
