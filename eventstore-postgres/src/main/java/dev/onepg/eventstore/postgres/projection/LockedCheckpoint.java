package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;

/** A projection's checkpoint and state, read with its row locked for the rest of the transaction. */
record LockedCheckpoint(Checkpoint checkpoint, ProjectionState state) {}
