package dev.onepg.platform.kafka;

import dev.onepg.eventstore.kafka.KafkaRelay;
import dev.onepg.eventstore.postgres.projection.Lag;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * DEGRADED while the brokers do not acknowledge (the service goes on, the relay holds its checkpoint and catches
 * up once they are back), UP otherwise; with the relay's lag either way.
 */
class KafkaRelayHealthIndicator extends AbstractHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED");

    private final KafkaRelay relay;
    private final ProjectionEngine engine;

    KafkaRelayHealthIndicator(KafkaRelay relay, ProjectionEngine engine) {
        this.relay = relay;
        this.engine = engine;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Lag lag = engine.lag(relay.name());
        builder.withDetail("relay", relay.name())
                .withDetail("lagEvents", lag.events())
                .withDetail("lagSeconds", lag.behind().toSeconds());
        relay.outage()
                .ifPresentOrElse(
                        outage -> builder.status(DEGRADED)
                                .withDetail("unavailableSince", outage.since().toString())
                                .withDetail(
                                        "unavailableFor",
                                        Duration.between(outage.since(), Instant.now())
                                                        .toSeconds() + " s")
                                .withDetail("lastError", outage.lastError()),
                        builder::up);
    }
}
