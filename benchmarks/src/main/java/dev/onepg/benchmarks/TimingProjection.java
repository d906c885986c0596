package dev.onepg.benchmarks;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A view that stores nothing in the database: it notes, per event, the {@link System#nanoTime()} at which the
 * runner handed it over. The runner commits its checkpoint after that, so the view becomes visible to readers one
 * commit later.
 */
final class TimingProjection implements Projection {

    static final String NAME = "benchmark_view";
    static final String EVENT_TYPE = "BenchmarkEvent";

    private final Map<UUID, Long> appliedAt = new ConcurrentHashMap<>();
    private final AtomicLong batches = new AtomicLong();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of(EVENT_TYPE);
    }

    @Override
    public void apply(RecordedEvent event, ProjectionTransaction transaction) {
        appliedAt.put(event.eventId(), System.nanoTime());
        batches.incrementAndGet();
    }

    @Override
    public void apply(List<RecordedEvent> events, ProjectionTransaction transaction) {
        long now = System.nanoTime();
        for (RecordedEvent event : events) {
            appliedAt.put(event.eventId(), now);
        }
        batches.incrementAndGet();
    }

    /** When the event was applied, or {@code null} if it was not (yet). */
    @Nullable
    Long appliedAt(UUID eventId) {
        return appliedAt.get(eventId);
    }

    long applied() {
        return appliedAt.size();
    }

    long batches() {
        return batches.get();
    }
}
