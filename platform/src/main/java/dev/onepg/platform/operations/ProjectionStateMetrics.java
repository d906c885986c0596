package dev.onepg.platform.operations;

import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * {@code onepg_projection_failed{projection}}: 1 while a projection is stopped at an event it could not apply.
 * Health keeps the instance in service then, so alerting on a failed projection goes through this metric (or
 * the projections health component), never through the load balancer.
 */
@Component
class ProjectionStateMetrics implements SmartInitializingSingleton {

    private final ProjectionEngine engine;
    private final MeterRegistry registry;

    ProjectionStateMetrics(ProjectionEngine engine, MeterRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String projection : engine.projectionNames()) {
            Gauge.builder("onepg.projection.failed", engine, e -> isFailed(e, projection) ? 1 : 0)
                    .description("1 while the projection is stopped at an event it could not apply, else 0")
                    .tag("projection", projection)
                    .register(registry);
        }
    }

    private static boolean isFailed(ProjectionEngine engine, String projection) {
        return engine.status(projection)
                .map(status -> status.state() == ProjectionState.FAILED)
                .orElse(false);
    }
}
