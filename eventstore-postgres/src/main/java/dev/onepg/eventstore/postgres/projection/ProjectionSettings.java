package dev.onepg.eventstore.postgres.projection;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * How projections run.
 *
 * @param batchSize events applied per transaction
 * @param pollInterval how often a runner looks for events without being woken: the bound on the delay that a
 *     lost notification causes
 * @param leaderRetryInterval how often an instance that does not lead a projection tries to take its lease
 * @param leaseDuration how long a leader's lease lasts without renewal: a leader that stops making progress is
 *     replaced after at most this plus {@code leaderRetryInterval}
 * @param statementTimeout the longest a runner's statement may run; its socket times out two seconds later
 * @param maxAttempts how often a failing event is tried before the projection stops at it
 * @param firstRetryDelay the wait before the second attempt; it doubles with each further one
 * @param instanceId names this instance in the projections' status
 * @param batchSpacing the shortest time from the start of a batch that caught up to the start of the next one:
 *     under a steady stream of writes, fewer and larger batches, each paying its transaction, its read and its
 *     checkpoint once for more events; zero starts the next batch as soon as events are there. A backlog is
 *     never spaced: a full batch is followed at once by the next
 * @param batchBytes about how much memory a batch's events may take: a backlog's batches grow only while their
 *     events fit, and shrink when they do not (at the average size of the batch before). A single event larger
 *     than this is still read, alone
 */
public record ProjectionSettings(
        int batchSize,
        Duration pollInterval,
        Duration leaderRetryInterval,
        Duration leaseDuration,
        Duration statementTimeout,
        int maxAttempts,
        Duration firstRetryDelay,
        String instanceId,
        Duration batchSpacing,
        long batchBytes) {

    /** 16 MiB: some 20,000 events of half a kilobyte, the largest batch a backlog grows to at the default size. */
    public static final long DEFAULT_BATCH_BYTES = 16L * 1024 * 1024;

    private static final Duration SHORTEST_LEASE = Duration.ofMillis(300);

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
        requirePositive(statementTimeout, "statement timeout");
        if (batchSpacing == null || batchSpacing.isNegative()) {
            throw new IllegalArgumentException("batch spacing must be zero or more, was " + batchSpacing);
        }
        if (batchBytes < 1) {
            throw new IllegalArgumentException("batch bytes must be 1 or more, was " + batchBytes);
        }
        if (leaseDuration == null || leaseDuration.compareTo(SHORTEST_LEASE) < 0) {
            throw new IllegalArgumentException(
                    "lease duration must be at least " + SHORTEST_LEASE.toMillis() + " ms, was " + leaseDuration);
        }
    }

    public static ProjectionSettings defaults() {
        return new ProjectionSettings(
                500,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                5,
                Duration.ofMillis(200),
                defaultInstanceId(),
                Duration.ZERO,
                DEFAULT_BATCH_BYTES);
    }

    public ProjectionSettings withBatchSize(int batchSize) {
        return with(draft -> draft.batchSize = batchSize);
    }

    public ProjectionSettings withPollInterval(Duration pollInterval) {
        return with(draft -> draft.pollInterval = pollInterval);
    }

    public ProjectionSettings withLeaderRetryInterval(Duration leaderRetryInterval) {
        return with(draft -> draft.leaderRetryInterval = leaderRetryInterval);
    }

    public ProjectionSettings withLeaseDuration(Duration leaseDuration) {
        return with(draft -> draft.leaseDuration = leaseDuration);
    }

    public ProjectionSettings withStatementTimeout(Duration statementTimeout) {
        return with(draft -> draft.statementTimeout = statementTimeout);
    }

    public ProjectionSettings withRetries(int maxAttempts, Duration firstRetryDelay) {
        return with(draft -> {
            draft.maxAttempts = maxAttempts;
            draft.firstRetryDelay = firstRetryDelay;
        });
    }

    public ProjectionSettings withInstanceId(String instanceId) {
        return with(draft -> draft.instanceId = instanceId);
    }

    public ProjectionSettings withBatchSpacing(Duration batchSpacing) {
        return with(draft -> draft.batchSpacing = batchSpacing);
    }

    public ProjectionSettings withBatchBytes(long batchBytes) {
        return with(draft -> draft.batchBytes = batchBytes);
    }

    private ProjectionSettings with(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.settings();
    }

    /** These settings with some changed, checked again once built. */
    private static final class Draft {

        int batchSize;
        Duration pollInterval;
        Duration leaderRetryInterval;
        Duration leaseDuration;
        Duration statementTimeout;
        int maxAttempts;
        Duration firstRetryDelay;
        String instanceId;
        Duration batchSpacing;
        long batchBytes;

        Draft(ProjectionSettings settings) {
            batchSize = settings.batchSize;
            pollInterval = settings.pollInterval;
            leaderRetryInterval = settings.leaderRetryInterval;
            leaseDuration = settings.leaseDuration;
            statementTimeout = settings.statementTimeout;
            maxAttempts = settings.maxAttempts;
            firstRetryDelay = settings.firstRetryDelay;
            instanceId = settings.instanceId;
            batchSpacing = settings.batchSpacing;
            batchBytes = settings.batchBytes;
        }

        ProjectionSettings settings() {
            return new ProjectionSettings(
                    batchSize,
                    pollInterval,
                    leaderRetryInterval,
                    leaseDuration,
                    statementTimeout,
                    maxAttempts,
                    firstRetryDelay,
                    instanceId,
                    batchSpacing,
                    batchBytes);
        }
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
