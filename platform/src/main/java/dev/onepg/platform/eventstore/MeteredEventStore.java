package dev.onepg.platform.eventstore;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.EventStoreException;
import dev.onepg.eventstore.ForwardingEventStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Counts and times appends, and counts refusals by reason. */
final class MeteredEventStore extends ForwardingEventStore {

    private final MeterRegistry registry;
    private final Timer appends;

    MeteredEventStore(EventStore store, MeterRegistry registry) {
        super(store);
        this.registry = registry;
        this.appends = Timer.builder("onepg.appends")
                .description("Appends that stored events or repeated an earlier append")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public AppendResult append(AppendRequest request) {
        Timer.Sample sample = Timer.start(registry);
        try {
            AppendResult result = super.append(request);
            sample.stop(appends);
            return result;
        } catch (EventStoreException refused) {
            registry.counter(
                            "onepg.append.conflicts",
                            "reason",
                            refused.getClass().getSimpleName())
                    .increment();
            throw refused;
        }
    }
}
