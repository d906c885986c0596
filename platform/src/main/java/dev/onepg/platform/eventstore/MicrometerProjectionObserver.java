package dev.onepg.platform.eventstore;

import dev.onepg.eventstore.postgres.projection.ProjectionObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Projection batches, fallback polls, leases and failures as metrics, tagged by projection. */
final class MicrometerProjectionObserver implements ProjectionObserver {

    private final MeterRegistry registry;

    MicrometerProjectionObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void batchApplied(String projection, int events, Duration duration) {
        DistributionSummary.builder("onepg.projection.batch.size")
                .description("Events per committed projection batch")
                .tag("projection", projection)
                .register(registry)
                .record(events);
        Timer.builder("onepg.projection.batch.duration")
                .description("Time to apply and commit one projection batch")
                .tag("projection", projection)
                .register(registry)
                .record(duration);
    }

    @Override
    public void fallbackPollFoundEvents(String projection) {
        registry.counter("onepg.projection.fallback.polls", "projection", projection)
                .increment();
    }

    @Override
    public void leaseAcquired(String projection, long generation) {
        registry.counter("onepg.projection.leases.acquired", "projection", projection)
                .increment();
    }

    @Override
    public void leaseLost(String projection) {
        registry.counter("onepg.projection.leases.lost", "projection", projection)
                .increment();
    }

    @Override
    public void failed(String projection) {
        registry.counter("onepg.projection.failures", "projection", projection).increment();
    }
}
