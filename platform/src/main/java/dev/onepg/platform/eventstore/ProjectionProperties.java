package dev.onepg.platform.eventstore;

import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How projections run in this instance. The runner's settings left unset keep the values of
 * {@link ProjectionSettings#defaults()}, which are declared there alone.
 *
 * @param enabled whether this instance runs projections at all
 * @param batchSize events applied per transaction
 * @param pollInterval how often runners look for events without a notification
 * @param leaderRetryInterval how often a standby instance tries to take over a projection
 * @param leaseDuration how long a leader's lease lasts without renewal: the bound on a frozen leader's takeover
 * @param statementTimeout the longest a runner's statement may run (its socket times out 2 s later)
 * @param maxAttempts tries of a failing event before its projection stops
 * @param firstRetryDelay the wait before the second try; doubles with each further one
 * @param channel the {@code LISTEN/NOTIFY} channel
 * @param notifyInterval the shortest time between two notifications this instance sends
 * @param instanceId names this instance in projection statuses and leases; empty for host and process id
 * @param positionRecheckInterval how often readers waiting for a position are checked when no local batch
 *     commits (the projection may run on another instance)
 * @param connections the size of the projections' own pool, beside the application's (runners, read-ahead,
 *     rebuilds, the notifier); unset: two per projection and four more
 * @param batchSpacing the shortest time between the starts of two batches while a projection keeps up
 * @param batchBytes about how much memory one batch's events may take: a backlog's batches grow only while
 *     their events fit
 */
@ConfigurationProperties("onepg.projections")
public record ProjectionProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable Integer batchSize,
        @Nullable Duration pollInterval,
        @Nullable Duration leaderRetryInterval,
        @Nullable Duration leaseDuration,
        @Nullable Duration statementTimeout,
        @Nullable Integer maxAttempts,
        @Nullable Duration firstRetryDelay,
        @DefaultValue("onepg_events") String channel,

        @DefaultValue(CoalescingNotifier.DEFAULT_INTERVAL_MILLIS + "ms")
        Duration notifyInterval,

        @DefaultValue("") String instanceId,
        @DefaultValue("200ms") Duration positionRecheckInterval,
        @Nullable Integer connections,
        @Nullable Duration batchSpacing,
        @Nullable DataSize batchBytes) {

    /** The runner's settings: the defaults, with what this configuration sets. */
    public ProjectionSettings settings() {
        ProjectionSettings settings = ProjectionSettings.defaults();
        if (batchSize != null) {
            settings = settings.withBatchSize(batchSize);
        }
        if (pollInterval != null) {
            settings = settings.withPollInterval(pollInterval);
        }
        if (leaderRetryInterval != null) {
            settings = settings.withLeaderRetryInterval(leaderRetryInterval);
        }
        if (leaseDuration != null) {
            settings = settings.withLeaseDuration(leaseDuration);
        }
        if (statementTimeout != null) {
            settings = settings.withStatementTimeout(statementTimeout);
        }
        if (maxAttempts != null || firstRetryDelay != null) {
            settings = settings.withRetries(
                    maxAttempts != null ? maxAttempts : settings.maxAttempts(),
                    firstRetryDelay != null ? firstRetryDelay : settings.firstRetryDelay());
        }
        if (batchSpacing != null) {
            settings = settings.withBatchSpacing(batchSpacing);
        }
        if (batchBytes != null) {
            settings = settings.withBatchBytes(batchBytes.toBytes());
        }
        if (!instanceId.isBlank()) {
            settings = settings.withInstanceId(instanceId);
        }
        return settings;
    }
}
