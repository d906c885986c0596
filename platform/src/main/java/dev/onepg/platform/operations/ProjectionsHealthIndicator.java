package dev.onepg.platform.operations;

import dev.onepg.eventstore.postgres.projection.Lag;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionState;
import dev.onepg.eventstore.postgres.projection.ProjectionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Every projection's health: FAILED when one stopped at an event it could not apply, DEGRADED when one lags
 * beyond the configured bound, UP otherwise (a paused projection is UP: an operator chose it). Neither FAILED
 * nor DEGRADED takes the instance out of service: the status order in {@code application.yaml} ranks them
 * below UP, since a poisoned event stops its projection only, never the reads and writes of the instance.
 */
@Component("projections")
class ProjectionsHealthIndicator extends AbstractHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED");
    static final Status FAILED = new Status("FAILED");

    private final ProjectionEngine engine;
    private final OperationsProperties properties;

    ProjectionsHealthIndicator(ProjectionEngine engine, OperationsProperties properties) {
        this.engine = engine;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Status overall = Status.UP;
        for (String name : engine.projectionNames()) {
            ProjectionStatus status = engine.status(name).orElse(null);
            if (status == null) {
                builder.withDetail(name, Map.of("state", "NOT_STARTED"));
                continue;
            }
            Lag lag = engine.lag(name);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", status.state().name());
            details.put("position", status.checkpoint().position());
            details.put("lagEvents", lag.events());
            details.put("lagSeconds", lag.behind().toSeconds());
            if (status.leader() != null) {
                details.put("leader", status.leader());
            }
            if (status.state() == ProjectionState.FAILED) {
                details.put("reason", "stopped at event " + status.failedEventId() + ": " + status.lastError());
                overall = FAILED;
            } else if (status.state() == ProjectionState.RUNNING
                    && lag.behind().compareTo(properties.maxProjectionLag()) > 0) {
                details.put(
                        "reason",
                        "lagging " + lag.behind().toSeconds() + " s behind, more than "
                                + properties.maxProjectionLag().toSeconds() + " s");
                if (overall == Status.UP) {
                    overall = DEGRADED;
                }
            }
            builder.withDetail(name, details);
        }
        builder.status(overall);
    }
}
