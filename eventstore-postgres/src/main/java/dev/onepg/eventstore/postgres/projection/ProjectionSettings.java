package dev.onepg.eventstore.postgres.projection;

import java.time.Duration;

/**
 * How projections run.
 *
 * @param batchSize events applied per transaction
 * @param pollInterval how often a runner looks for events without being woken: the bound on the delay that a
 *     lost notification causes
 * @param leaderRetryInterval how often an instance that is not the leader of a projection tries to become it
 * @param maxAttempts how often a failing event is tried before the projection stops at it
 * @param firstRetryDelay the wait before the second attempt; it doubles with each further one
 * @param instanceId names this instance in the projections' status
 */
public record ProjectionSettings(
        int batchSize,
        Duration pollInterval,
        Duration leaderRetryInterval,
        int maxAttempts,
        Duration firstRetryDelay,
        String instanceId) {

    public ProjectionSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be 1 or more, was " + batchSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be 1 or more, was " + maxAttempts);
        }
        requirePositive(pollInterval, "poll interval");
        requirePositive(leaderRetryInterval, "leader retry interval");
        requirePositive(firstRetryDelay, "first retry delay");
    }

    public static ProjectionSettings defaults() {
        return new ProjectionSettings(
                500, Duration.ofSeconds(1), Duration.ofSeconds(1), 5, Duration.ofMillis(200), defaultInstanceId());
    }

    public ProjectionSettings withBatchSize(int batchSize) {
        return new ProjectionSettings(
                batchSize, pollInterval, leaderRetryInterval, maxAttempts, firstRetryDelay, instanceId);
    }

    public ProjectionSettings withPollInterval(Duration pollInterval) {
        return new ProjectionSettings(
                batchSize, pollInterval, leaderRetryInterval, maxAttempts, firstRetryDelay, instanceId);
    }

    public ProjectionSettings withLeaderRetryInterval(Duration leaderRetryInterval) {
        return new ProjectionSettings(
                batchSize, pollInterval, leaderRetryInterval, maxAttempts, firstRetryDelay, instanceId);
    }

    public ProjectionSettings withRetries(int maxAttempts, Duration firstRetryDelay) {
        return new ProjectionSettings(
                batchSize, pollInterval, leaderRetryInterval, maxAttempts, firstRetryDelay, instanceId);
    }

    public ProjectionSettings withInstanceId(String instanceId) {
        return new ProjectionSettings(
                batchSize, pollInterval, leaderRetryInterval, maxAttempts, firstRetryDelay, instanceId);
    }

    private static String defaultInstanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        return host + ":" + ProcessHandle.current().pid();
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + duration);
        }
    }
}
