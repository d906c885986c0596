package dev.onepg.eventstore.postgres.projection;

import java.time.Duration;

/**
 * A runner's claim to lead a projection: its owner and generation are checked in every batch transaction, so a
 * runner whose lease was taken over cannot commit.
 *
 * @param owner unique per runner
 * @param generation raised by every takeover: the fencing token
 * @param duration how long the lease lasts after its last renewal, by the database's clock
 */
record Lease(String projection, String owner, long generation, Duration duration) {}
