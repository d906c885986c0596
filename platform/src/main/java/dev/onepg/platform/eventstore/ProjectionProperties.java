package dev.onepg.platform.eventstore;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How projections run in this instance.
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
 * @param instanceId names this instance in projection statuses; empty for host and process id
 * @param positionRecheckInterval how often readers waiting for a position are checked when no local batch
 *     commits (the projection may run on another instance)
 */
@ConfigurationProperties("onepg.projections")
public record ProjectionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500") int batchSize,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("1s") Duration leaderRetryInterval,
        @DefaultValue("10s") Duration leaseDuration,
        @DefaultValue("10s") Duration statementTimeout,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("200ms") Duration firstRetryDelay,
        @DefaultValue("onepg_events") String channel,
        @DefaultValue("1ms") Duration notifyInterval,
        @DefaultValue("") String instanceId,
        @DefaultValue("200ms") Duration positionRecheckInterval) {}
