package dev.onepg.app.eventstore;

import dev.onepg.eventstore.ProjectionProgress;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.projection.AppliedPositions;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import java.time.Duration;

/** How far projections have come, for readers: positions from the one shared watcher, versions from the engine. */
final class SharedProjectionProgress implements ProjectionProgress {

    private final AppliedPositions positions;
    private final ProjectionEngine engine;

    SharedProjectionProgress(AppliedPositions positions, ProjectionEngine engine) {
        this.positions = positions;
        this.engine = engine;
    }

    @Override
    public boolean hasReached(String projection, long position) {
        return positions.hasReached(projection, position);
    }

    @Override
    public boolean awaitPosition(String projection, long position, Duration timeout) throws InterruptedException {
        return positions.awaitPosition(projection, position, timeout);
    }

    @Override
    public long appliedVersion(String projection, StreamId stream) {
        return engine.appliedVersion(projection, stream);
    }
}
