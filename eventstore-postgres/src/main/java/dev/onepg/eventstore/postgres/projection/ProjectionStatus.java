package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What an operator sees of a projection.
 *
 * @param leader the instance running it, if any
 * @param failedEventId the event it stopped at, when failed
 * @param lastError why it stopped, when failed
 */
public record ProjectionStatus(
        String name,
        Checkpoint checkpoint,
        ProjectionState state,
        @Nullable String leader,
        @Nullable UUID failedEventId,
        @Nullable String lastError,
        Instant updatedAt) {}
