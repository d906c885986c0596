package dev.onepg.eventstore.postgres.projection;

import java.time.Duration;

/**
 * How far a projection is behind the log.
 *
 * @param events about how many events wait (positions between its checkpoint and the head)
 * @param behind how long ago the oldest waiting event was recorded
 */
public record Lag(long events, Duration behind) {}
