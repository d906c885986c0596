package dev.onepg.platform.kafka;

import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.kafka.RelayObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Events published, the time from recording to the brokers' acknowledgement, and outages, as metrics. */
final class MicrometerRelayObserver implements RelayObserver {

    private final Counter published;
    private final Timer latency;
    private final Counter unavailable;

    MicrometerRelayObserver(MeterRegistry registry) {
        this.published = Counter.builder("onepg.kafka.published")
                .description("Events the brokers acknowledged (a republished event counts again)")
                .register(registry);
        this.latency = Timer.builder("onepg.kafka.latency")
                .description("From an event's recording in PostgreSQL to the brokers' acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
        this.unavailable = Counter.builder("onepg.kafka.unavailable")
                .description("Batches the brokers did not acknowledge; each is retried")
                .register(registry);
    }

    @Override
    public void published(List<RecordedEvent> events, Instant acknowledgedAt) {
        published.increment(events.size());
        for (RecordedEvent event : events) {
            latency.record(Duration.between(event.recordedAt(), acknowledgedAt));
        }
    }

    @Override
    public void unavailable(Exception error) {
        unavailable.increment();
    }
}
