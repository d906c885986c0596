package dev.onepg.platform.eventstore;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.EventStoreException;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.StreamQuery;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/** Counts and times appends, and counts refusals by reason. */
final class MeteredEventStore implements EventStore {

    private final EventStore store;
    private final MeterRegistry registry;
    private final Timer appends;

    MeteredEventStore(EventStore store, MeterRegistry registry) {
        this.store = store;
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
            AppendResult result = store.append(request);
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

    @Override
    public List<RecordedEvent> read(StreamId stream, StreamQuery query) {
        return store.read(stream, query);
    }

    @Override
    public long currentVersion(StreamId stream) {
        return store.currentVersion(stream);
    }

    @Override
    public List<RecordedEvent> readAfter(Checkpoint checkpoint, int limit) {
        return store.readAfter(checkpoint, limit);
    }
}
